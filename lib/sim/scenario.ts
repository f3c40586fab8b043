/**
 * Scenarios: what the simulator boots. A scenario is JSON (schema in docs/sim.md) or one of the
 * built-ins: `demo` (a host with three jails on four CPUs) and `large` (N vnets x N CPUs x N
 * interfaces). Validation turns mistakes into messages naming the field.
 */

export type Flavour = 'fbsd14' | 'fbsd12' | 'novimage';
export type SimArch = 'amd64' | 'arm64';

/** Interface counters by ift_counter name; 'random' draws them from the seed. */
export type IfCounterName =
  | 'ipackets' | 'ierrors' | 'opackets' | 'oerrors' | 'collisions' | 'ibytes' | 'obytes'
  | 'imcasts' | 'omcasts' | 'iqdrops' | 'oqdrops' | 'noproto';
export const IF_COUNTER_NAMES: readonly IfCounterName[] = [
  'ipackets', 'ierrors', 'opackets', 'oerrors', 'collisions', 'ibytes', 'obytes',
  'imcasts', 'omcasts', 'iqdrops', 'oqdrops', 'noproto',
];

export type CounterValues<K extends string> = 'random' | 'zero' | Partial<Record<K, number | string>>;

export interface AddressSpec {
  /** "10.0.2.15/24" or "fe80::1/64" (link-local gets the interface's zone) */
  address: string;
  counters?: CounterValues<'ipackets' | 'opackets' | 'ibytes' | 'obytes'>;
}

export interface InterfaceSpec {
  name: string;
  /** ether (default), loop, bridge, vlan */
  type?: 'ether' | 'loop' | 'bridge' | 'vlan';
  /** "08:00:27:4f:3a:1c"; drawn from the seed when absent for ether-like types */
  mac?: string;
  mtu?: number;
  /** IFF_UP (default true) */
  up?: boolean;
  addresses?: AddressSpec[];
  counters?: CounterValues<IfCounterName>;
}

/** Protocol statistics of a stack: 'random' (default), 'zero', or values by DWARF member name. */
export type StatsSpec = 'random' | 'zero' | Record<string, Record<string, number | string | (number | string)[]>>;

export interface ProcSpec {
  pid: number;
  comm: string;
  threads?: number;
}

export interface StackSpec {
  interfaces?: InterfaceSpec[];
  stats?: StatsSpec;
}

export interface JailSpec extends StackSpec {
  jid: number;
  name: string;
  path?: string;
  hostname?: string;
  /** own vnet (a VNET jail) or the parent's stack */
  vnet: boolean;
  /** parent jail name (default: the host) */
  parent?: string;
  procs?: ProcSpec[];
}

export interface DumpSpec {
  /** the panicking thread's jail (name) or 'host' */
  jail?: string;
  cpu?: number;
  /** the thread was inside network code: td_vnet set (CURVNET_SET) */
  inNetworkCode?: boolean;
  /** dumptid 0: a "live" dump */
  noDumptid?: boolean;
}

export interface Scenario {
  name: string;
  flavour: Flavour;
  arch: SimArch;
  seed: number;
  /** present CPU ids (sparse allowed) */
  cpus: number[];
  host: StackSpec & { procs?: ProcSpec[] };
  jails: JailSpec[];
  dump: DumpSpec;
  /** leave a destroyed vnet (magic 0xdeadbeef) in memory, off the list */
  destroyedVnet?: boolean;
}

export class ScenarioError extends Error {}

function fail(path: string, msg: string): never {
  throw new ScenarioError(`scenario: ${path}: ${msg}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates parsed JSON and fills defaults. */
export function normalizeScenario(raw: unknown, overrides: Partial<Pick<Scenario, 'seed' | 'flavour' | 'arch'>> = {}): Scenario {
  if (!isObj(raw)) fail('(top)', 'must be an object');
  const flavour = (overrides.flavour ?? raw.flavour ?? 'fbsd14') as Flavour;
  if (!['fbsd14', 'fbsd12', 'novimage'].includes(flavour)) fail('flavour', `must be fbsd14, fbsd12 or novimage, not ${String(flavour)}`);
  const arch = (overrides.arch ?? raw.arch ?? 'amd64') as SimArch;
  if (!['amd64', 'arm64'].includes(arch)) fail('arch', `must be amd64 or arm64, not ${String(arch)}`);
  const seed = overrides.seed ?? (raw.seed === undefined ? 1 : Number(raw.seed));
  if (!Number.isInteger(seed) || seed < 0) fail('seed', 'must be a non-negative integer');
  let cpus = raw.cpus === undefined ? [0, 1, 2, 3] : raw.cpus;
  if (isObj(cpus) && typeof cpus.count === 'number') cpus = Array.from({ length: cpus.count }, (_, i) => i);
  if (!Array.isArray(cpus) || cpus.length === 0 || !cpus.every((c) => Number.isInteger(c) && c >= 0 && c < 1024)) {
    fail('cpus', 'must be a non-empty list of CPU ids in 0..1023, or { "count": N }');
  }
  const ids = [...new Set(cpus as number[])].sort((a, b) => a - b);
  const host = isObj(raw.host) ? (raw.host as Scenario['host']) : {};
  const jails = raw.jails === undefined ? [] : raw.jails;
  if (!Array.isArray(jails)) fail('jails', 'must be a list');
  const seen = new Set<number>();
  const names = new Set<string>();
  (jails as JailSpec[]).forEach((j, i) => {
    if (!isObj(j)) fail(`jails[${i}]`, 'must be an object');
    if (!Number.isInteger(j.jid) || j.jid <= 0) fail(`jails[${i}].jid`, 'must be a positive integer');
    if (seen.has(j.jid)) fail(`jails[${i}].jid`, `${j.jid} is used twice`);
    seen.add(j.jid);
    if (typeof j.name !== 'string' || j.name === '' || j.name.length > 255) fail(`jails[${i}].name`, 'must be a non-empty string');
    if (names.has(j.name)) fail(`jails[${i}].name`, `${j.name} is used twice`);
    names.add(j.name);
    if (typeof j.vnet !== 'boolean') fail(`jails[${i}].vnet`, 'must be true or false');
    if (!j.vnet && j.interfaces?.length) fail(`jails[${i}].interfaces`, 'only a VNET jail has its own interfaces');
    if (j.vnet && flavour === 'novimage') fail(`jails[${i}].vnet`, 'the novimage kernel has no VNET jails');
    if (j.parent !== undefined && !names.has(j.parent)) fail(`jails[${i}].parent`, `${j.parent} is not an earlier jail`);
  });
  const dump = isObj(raw.dump) ? (raw.dump as DumpSpec) : {};
  if (dump.jail !== undefined && dump.jail !== 'host' && !names.has(dump.jail)) fail('dump.jail', `${dump.jail} is not a jail`);
  if (dump.cpu !== undefined && !ids.includes(dump.cpu)) fail('dump.cpu', `CPU ${dump.cpu} is not present`);
  return {
    name: typeof raw.name === 'string' ? raw.name : 'custom',
    flavour,
    arch,
    seed,
    cpus: ids,
    host,
    jails: jails as JailSpec[],
    dump,
    ...(raw.destroyedVnet ? { destroyedVnet: true } : {}),
  };
}

/** demo: a host and three jails (two with their own vnet) on four CPUs. */
export function demoScenario(): unknown {
  return {
    name: 'demo',
    cpus: [0, 1, 2, 3],
    host: {
      interfaces: [
        { name: 'em0', mac: '08:00:27:4f:3a:1c', mtu: 1500, addresses: [{ address: '10.0.2.15/24' }, { address: 'fe80::a00:27ff:fe4f:3a1c/64' }] },
        { name: 'lo0', type: 'loop', mtu: 16384, addresses: [{ address: '::1/128' }, { address: 'fe80::1/64' }, { address: '127.0.0.1/8' }] },
        { name: 'epair0a', mac: '02:d5:a0:3c:1e:0a', mtu: 1500, addresses: [{ address: '192.168.10.1/24' }] },
        { name: 'epair1a', mac: '02:d5:a0:3c:1e:1a', mtu: 1500, addresses: [{ address: '192.168.20.1/24' }] },
        { name: 'bridge0', type: 'bridge', mac: '58:9c:fc:10:ff:e1', mtu: 1500, up: false },
      ],
      procs: [{ pid: 1, comm: 'init' }, { pid: 412, comm: 'sshd' }],
    },
    jails: [
      { jid: 1, name: 'web', path: '/jails/web', hostname: 'web.example.org', vnet: true,
        interfaces: [
          { name: 'lo0', type: 'loop', mtu: 16384, addresses: [{ address: '127.0.0.1/8' }] },
          { name: 'epair0b', mac: '02:d5:a0:3c:1e:0b', mtu: 1500, addresses: [{ address: '192.168.10.2/24' }, { address: 'fe80::d5:a0ff:fe3c:1e0b/64' }] },
        ],
        procs: [{ pid: 2001, comm: 'nginx', threads: 2 }] },
      { jid: 2, name: 'db', path: '/jails/db', hostname: 'db.example.org', vnet: true,
        interfaces: [
          { name: 'lo0', type: 'loop', mtu: 16384, addresses: [{ address: '127.0.0.1/8' }] },
          { name: 'epair1b', mac: '02:d5:a0:3c:1e:1b', mtu: 9000, addresses: [{ address: '192.168.20.2/24' }, { address: '2001:db8:20::2/64' }] },
        ],
        procs: [{ pid: 3001, comm: 'postgres' }] },
      { jid: 3, name: 'build', path: '/jails/build', hostname: 'build.example.org', vnet: false,
        procs: [{ pid: 4001, comm: 'make' }] },
    ],
    dump: { jail: 'web', cpu: 2, inNetworkCode: true },
  };
}

/** large: `vnets` stacks (the host and vnets-1 VNET jails) on `cpus` CPUs, `ifaces` interfaces each. */
export function largeScenario(p: { vnets: number; cpus: number; ifaces: number }): unknown {
  const { vnets, cpus, ifaces } = p;
  if (!Number.isInteger(vnets) || vnets < 1 || vnets > 4096) throw new ScenarioError('large: --vnets must be 1..4096');
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 256) throw new ScenarioError('large: --cpus must be 1..256');
  if (!Number.isInteger(ifaces) || ifaces < 1 || ifaces > 64) throw new ScenarioError('large: --ifaces must be 1..64');
  const stackIfaces = (k: number): InterfaceSpec[] =>
    Array.from({ length: ifaces }, (_, i) => ({
      name: i === 0 ? 'lo0' : `epair${k}${String.fromCharCode(97 + ((i - 1) % 26))}${i > 26 ? Math.floor((i - 1) / 26) : ''}`,
      type: i === 0 ? 'loop' : 'ether',
      mtu: i === 0 ? 16384 : 1500,
      addresses: i === 0
        ? [{ address: '127.0.0.1/8' }]
        : [{ address: `10.${(k >> 8) & 255}.${k & 255}.${i}/24` }, { address: `fe80::${k.toString(16)}:${i.toString(16)}/64` }],
    }));
  return {
    name: 'large',
    cpus: { count: cpus },
    host: { interfaces: stackIfaces(0) },
    jails: Array.from({ length: vnets - 1 }, (_, i) => ({ jid: i + 1, name: `j${i + 1}`, vnet: true, interfaces: stackIfaces(i + 1) })),
    dump: { jail: 'host', cpu: 0 },
  };
}
