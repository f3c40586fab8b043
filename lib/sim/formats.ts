/** The dump formats kvm-sim writes, by name. */
import type { SimArch } from './scenario';

export interface SimFormat {
  name: string;
  arch: SimArch;
  description: string;
}

export const SIM_FORMATS: readonly SimFormat[] = [
  { name: 'minidump-amd64-v3', arch: 'amd64', description: 'amd64 minidump version 3 (FreeBSD 13 and later; the default)' },
  { name: 'minidump-amd64-v2', arch: 'amd64', description: 'amd64 minidump version 2 (FreeBSD 9-12)' },
  { name: 'minidump-amd64-v1', arch: 'amd64', description: 'amd64 minidump version 1 (FreeBSD 7-8)' },
  { name: 'fulldump-amd64', arch: 'amd64', description: 'amd64 full dump: ELF core of physical memory' },
  { name: 'minidump-arm64-v3', arch: 'arm64', description: 'arm64 minidump version 3 (the default for arm64)' },
  { name: 'minidump-arm64-v2', arch: 'arm64', description: 'arm64 minidump version 2' },
  { name: 'minidump-arm64-v1', arch: 'arm64', description: 'arm64 minidump version 1' },
  { name: 'elf-vcore-amd64', arch: 'amd64', description: 'ELF core with virtual-address segments (amd64 kernel)' },
  { name: 'elf-vcore-arm64', arch: 'arm64', description: 'ELF core with virtual-address segments (arm64 kernel)' },
];

export function defaultFormat(arch: SimArch): string {
  return arch === 'amd64' ? 'minidump-amd64-v3' : 'minidump-arm64-v3';
}

export function findFormat(name: string, arch: SimArch): SimFormat {
  const f = SIM_FORMATS.find((x) => x.name === name || (x.name === `${name}-${arch}`));
  if (!f) throw new RangeError(`unknown dump format ${name}; kvm-sim --list-formats lists them`);
  if (f.arch !== arch) throw new RangeError(`format ${f.name} is for ${f.arch} kernels, not ${arch}`);
  return f;
}
