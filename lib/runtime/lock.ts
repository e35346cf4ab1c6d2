import fs from "node:fs";

/**
 * An exclusive lock on a data directory, held by one launcher at a time. A lock whose process is
 * gone (or whose pid now belongs to a different process) is stale and is taken over.
 */
export type Lock = { release: () => void };

function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]; // field 22: start time in clock ticks
  } catch {
    return undefined;
  }
}

function holderAlive(content: string): number | undefined {
  const [pidText, started] = content.trim().split(" ");
  const pid = Number(pidText);
  if (!pid || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  const now = processStartTime(pid);
  return now === undefined || started === undefined || now === started ? pid : undefined;
}

export function acquireLock(file: string): Lock {
  const mine = `${process.pid} ${processStartTime(process.pid) ?? ""}`.trim();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, mine + "\n", { flag: "wx" });
      return {
        release: () => {
          if (fs.readFileSync(file, "utf8").trim() === mine) fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = holderAlive(fs.readFileSync(file, "utf8"));
      if (holder) throw new Error(`Another Stevedore launcher (pid ${holder}) is using ${file.replace(/\/[^/]+$/, "")}. Stop it first.`);
      fs.rmSync(file, { force: true }); // stale: its launcher was killed
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
