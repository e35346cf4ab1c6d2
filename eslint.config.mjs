import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".stevedore/**", "db/migrations/**", "next-env.d.ts", "test-results/**", "playwright-report/**"],
  },
  {
    // Pages and components call service verbs; only lib/ and the launcher talk to the database.
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/db", "@/db/*", "**/db/*", "../db", "../../db"], message: "app/ and components/ call service verbs in lib/services; they never import db/." },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.test.ts", "e2e/**", "bench/**", "scripts/**"],
    rules: { "no-console": "off" },
  },
];

export default config;
