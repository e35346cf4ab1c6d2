/** The three limits as the page names them; shared by the read-only table and each role's form. */
export const QUOTA_FIELDS = [
  { name: "maxConcurrentOperations", label: "Operations under way", hint: "Per user: queued, running or waiting for approval." },
  { name: "maxPointsPerCollection", label: "Points per collection", hint: "What a collection may hold after an operation a user of this role starts." },
  { name: "maxCollections", label: "Collections", hint: "Per user: collections they created and that are not deleted." },
] as const;
