import { backupCollection } from "./backup-collection";
import { backupScheduler } from "./backup-scheduler";
import { clearCollection } from "./clear-collection";
import { escalateAlert } from "./escalate-alert";
import { evaluateAlertsFunction } from "./evaluate-alerts";
import { notifyChannel } from "./notify-channel";
import { cleanUpCancelledOperation } from "./clean-up-cancelled-operation";
import { handleCancelledRun } from "./handle-cancelled-run";
import { indexSource } from "./index-source";
import { pipelineEmbed } from "./pipeline-embed";
import { pipelineParse } from "./pipeline-parse";
import { reindexCollection } from "./reindex-collection";
import { remindSilenceFunction } from "./remind-silence";
import { restoreBackup } from "./restore-backup";
import { restoreDrill } from "./restore-drill";
import { removeSource } from "./remove-source";
import { rollbackCollection } from "./rollback-collection";
import { runSelfTest } from "./run-self-test";
import { sampleHealth } from "./sample-health";
import { verifyBackup } from "./verify-backup";
import { versionCleanup } from "./version-cleanup";

/** Every Inngest function the app serves; `app/api/inngest/route.ts` registers this list. */
export const functions = [runSelfTest, indexSource, pipelineParse, pipelineEmbed, removeSource, reindexCollection, rollbackCollection, versionCleanup, cleanUpCancelledOperation, handleCancelledRun, backupCollection, verifyBackup, restoreBackup, clearCollection, backupScheduler, restoreDrill, sampleHealth, evaluateAlertsFunction, notifyChannel, escalateAlert, remindSilenceFunction];
