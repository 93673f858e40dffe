/** Shared by part C's checks: read every replica's timestamp line once the replicas have settled. */
import type { Findings } from '../../../check/findings.ts';
import { readDataFile, type DataFile } from '../dataFile.ts';
import type { Replica } from '../bankCluster.ts';

export interface ReplicaFile {
  replica: Replica;
  file: DataFile;
}

/** The data file of each replica whose file exists and has a well-formed timestamp line. */
export async function timestampedFiles(replicas: readonly Replica[], findings: Findings): Promise<ReplicaFile[]> {
  const files: ReplicaFile[] = [];
  for (const replica of replicas) {
    const file = await readDataFile(replica.dataFile);
    if (!file) {
      findings.add('file-missing', 'Expected every replica to write its data file:', `replica ${replica.name} never wrote ${replica.dataFile}`);
    } else if (!file.timestamp) {
      findings.add('timestamp-format', "Expected the first line of every data file to be '# ' and a UTC time like 'Sat, 21 Nov 2026 04:12:00 +0000':", `replica ${replica.name}'s first line is '${file.timestampLine}'`);
    } else {
      files.push({ replica, file });
    }
  }
  return files;
}

export const utcTime = (ms: number): string => new Date(ms).toUTCString().replace('GMT', '+0000');

export const formatSkew = (seconds: number): string => {
  const minutes = Math.round(Math.abs(seconds) / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min ${seconds >= 0 ? 'ahead' : 'behind'}`;
};
