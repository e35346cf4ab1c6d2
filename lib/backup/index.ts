export { BackupFormatError, isBackupFormatError, type BackupErrorCode } from "./errors";
export { DEFAULT_READ_LIMITS, readBackup, readBackupManifest, verifyBackup, type BackupPoint, type BackupRecord, type BackupSummary, type ReadBackupOptions } from "./read";
export * from "./schema";
export { writeBackup, type BackupPointInput, type WriteBackupOptions, type WriteBackupResult } from "./write";
