'use strict';
// The simulated FreeBSD kernel: builds every flavour/arch and checks the ELF (symbols, sections,
// linker sets) and the debug information (member offsets, sizes, member order) against the
// FreeBSD layouts the model promises. amd64 layouts are read with gdb; arm64 (which this host's
// gdb cannot load) from readelf's DWARF dump.
const { test, describe, before } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const kb = require('../dist/sim/kernel-build.js');
const { toolEnv } = require('./helpers/tmp');
const { KvmError } = require('../dist/errors.js');

const CACHE = path.join(__dirname, '..', '.cache', 'sim-kernel');
const HAVE_GDB = (() => {
  try {
    execFileSync('gdb', ['--version'], { stdio: 'ignore', env: toolEnv(), timeout: 60000 });
    return true;
  } catch {
    return false;
  }
})();
/** Tests that print values or member lists need gdb; layouts fall back to readelf. */
const NEEDS_GDB = HAVE_GDB ? {} : { skip: 'gdb is not installed (Debian package gdb)' };
const FLAVOURS = kb.loadSimFlavours();

// ---------------------------------------------------------------------------------------------
// Inspection helpers (binutils readelf and gdb; both come with gcc)

function sh(cmd, args) {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: toolEnv(), timeout: 300000 });
}

/** name -> [{ value, size, type, bind, ndx }] from the ELF symbol table. */
function symbols(elf) {
  const out = new Map();
  for (const line of sh('readelf', ['-sW', elf]).split('\n')) {
    const m = /^\s*\d+:\s+([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s+(\w+)\s+(\w+)\s+\w+\s+(\w+)\s+(\S+)$/.exec(line);
    if (!m) continue;
    const sym = {
      value: BigInt('0x' + m[1]),
      size: Number(m[2]),
      type: m[3],
      bind: m[4],
      ndx: m[5],
    };
    if (!out.has(m[6])) out.set(m[6], []);
    out.get(m[6]).push(sym);
  }
  return out;
}

function sym(syms, name) {
  const list = syms.get(name);
  assert.ok(list, `symbol ${name} is missing`);
  assert.equal(list.length, 1, `symbol ${name} is defined more than once`);
  return list[0];
}

/** name -> { addr, size, type, flags } of every section. */
function sections(elf) {
  const out = new Map();
  for (const line of sh('readelf', ['-SW', elf]).split('\n')) {
    const m = /^\s*\[\s*\d+\]\s+(\S+)\s+(\w+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\w*)\s/.exec(line);
    if (m) out.set(m[1], { type: m[2], addr: BigInt('0x' + m[3]), size: Number('0x' + m[4]), flags: m[5] });
  }
  return out;
}

function elfHeader(elf) {
  const text = sh('readelf', ['-hW', elf]);
  const field = (name) => new RegExp(`^\\s*${name}:\\s+(.*)$`, 'm').exec(text)[1].trim();
  return { type: field('Type'), machine: field('Machine'), entry: BigInt(field('Entry point address')) };
}

function firstLoadVaddr(elf) {
  const m = /^\s*LOAD\s+0x[0-9a-f]+\s+0x([0-9a-f]+)/m.exec(sh('readelf', ['-lW', elf]));
  return BigInt('0x' + m[1]);
}

/** DWARF versions of all compilation units. */
function dwarfVersions(elf) {
  const text = sh('readelf', ['--debug-dump=info', elf]);
  return new Set([...text.matchAll(/^\s+Version:\s+(\d+)$/gm)].map((m) => Number(m[1])));
}

/**
 * Evaluates gdb expressions against the (amd64) ELF in one gdb run; returns the printed values
 * as strings, in order.
 */
function gdbEval(elf, exprs) {
  const args = ['-batch', '-nx'];
  for (const e of exprs) args.push('-ex', `print ${e}`);
  args.push(elf);
  const values = [];
  for (const line of sh('gdb', args).split('\n')) {
    const m = /^\$(\d+) = (.*)$/.exec(line);
    if (m) values[Number(m[1]) - 1] = m[2];
  }
  assert.equal(values.length, exprs.length, `gdb answered ${values.length} of ${exprs.length}`);
  return values;
}

/** offsetof/sizeof through gdb: keys "struct.member" or "struct" (size). */
function gdbLayout(elf, keys) {
  const exprs = keys.map((k) => {
    const [s, m] = k.split('.');
    return m === undefined ? `(long)sizeof(struct ${s})` : `(long)&((struct ${s} *)0)->${m}`;
  });
  const values = gdbEval(elf, exprs);
  return Object.fromEntries(keys.map((k, i) => [k, Number(values[i])]));
}

/** offsetof/sizeof by gdb where available, else from readelf's DWARF dump. */
function layoutOf(elf, keys) {
  if (HAVE_GDB) return gdbLayout(elf, keys);
  const structs = dwarfStructs(elf);
  return Object.fromEntries(keys.map((k) => [k, dwarfOffset(structs, k)]));
}

/** Top-level member names of a struct, in declaration order, from gdb's ptype. */
function gdbMembers(elf, struct) {
  const text = sh('gdb', ['-batch', '-nx', '-ex', `ptype struct ${struct}`, elf]);
  const names = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    const opens = (line.match(/\{/g) || []).length;
    const closes = (line.match(/\}/g) || []).length;
    const before = depth;
    depth += opens - closes;
    if (depth !== 1 || !line.trim().endsWith(';')) continue;
    if (before === 2) {
      // The end of a nested struct/union member: "} name;" (anonymous ones have no name).
      const closing = /\}\s*(\w+)(\[\w+\])*;\s*$/.exec(line);
      if (closing) names.push(closing[1]);
    } else if (before === 1) {
      const fn = /\(\*(\w+)\)/.exec(line);
      const plain = /(\w+)(\[\w+\])*(\s*:\s*\d+)?;\s*$/.exec(line);
      names.push(fn ? fn[1] : plain[1]);
    }
  }
  return names;
}

/**
 * Struct layouts from readelf's DWARF dump (works for any architecture): name -> { size,
 * members: Map(name -> offset) }. The first complete definition of each name wins.
 */
function dwarfStructs(elf) {
  const text = sh('readelf', ['--debug-dump=info', elf]);
  const structs = new Map();
  let cur = null; // struct being read
  let curDepth = -1;
  let member = null;
  let dieTag = null;
  let dieDepth = -1;
  const finishMember = () => {
    if (member && member.name !== undefined && member.offset !== undefined && cur) {
      if (!cur.members.has(member.name)) cur.members.set(member.name, member.offset);
    }
    member = null;
  };
  for (const line of text.split('\n')) {
    const die = /^\s*<(\d+)><[0-9a-f]+>: Abbrev Number: \d+ \((\w+)\)/.exec(line);
    if (die) {
      finishMember();
      dieDepth = Number(die[1]);
      dieTag = die[2];
      if (cur && dieDepth <= curDepth) {
        if (!structs.has(cur.name) && cur.size !== undefined) structs.set(cur.name, cur);
        cur = null;
      }
      if (dieTag === 'DW_TAG_structure_type') {
        if (!cur) {
          cur = { name: undefined, size: undefined, members: new Map() };
          curDepth = dieDepth;
        }
      } else if (dieTag === 'DW_TAG_member' && cur && dieDepth === curDepth + 1) {
        member = {};
      }
      continue;
    }
    const attr = /^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s*(.*)$/.exec(line);
    if (!attr) continue;
    const [, name, value] = attr;
    if (cur && dieTag === 'DW_TAG_structure_type' && dieDepth === curDepth) {
      if (name === 'DW_AT_name') cur.name = value.split(': ').pop().trim();
      if (name === 'DW_AT_byte_size') cur.size = Number(value);
      if (name === 'DW_AT_declaration') cur = null;
    } else if (member) {
      if (name === 'DW_AT_name') member.name = value.split(': ').pop().trim();
      if (name === 'DW_AT_data_member_location') {
        const m = /(?:DW_OP_plus_uconst: )?(\d+)\)?\s*$/.exec(value);
        member.offset = Number(m[1]);
      }
    }
  }
  finishMember();
  if (cur && cur.name && !structs.has(cur.name) && cur.size !== undefined) structs.set(cur.name, cur);
  return structs;
}

function dwarfOffset(structs, key) {
  const [s, m] = key.split('.');
  const st = structs.get(s);
  assert.ok(st, `struct ${s} has no complete definition in the debug info`);
  if (m === undefined) return st.size;
  assert.ok(st.members.has(m), `struct ${s} has no member ${m}`);
  return st.members.get(m);
}

// ---------------------------------------------------------------------------------------------
// Expected facts

/** Symbols every VIMAGE kernel must have (plain names, libkvm's and netstat's inputs). */
const COMMON_SYMBOLS = [
  'prison0', 'allprison', 'allproc', 'proc0', 'thread0_st', 'dumptid', 'dumppcb', 'dpcpu_off',
  'cpuid_to_pcpu', 'mp_maxcpus', 'mp_ncpus', 'mp_maxid', '__pcpu', 'kernbase', 'hz', 'version',
  'osreldate', 'osrelease', 'ostype', 'if_get_counter_default', 'cpuhead', '__start_set_pcpu',
  '__stop_set_pcpu', 'pcpu_entry_modspace', 'pcpu_entry_pcputicks', 'btext',
];
const VIMAGE_SYMBOLS = [
  'vnet_head', 'vnet0', '__start_set_vnet', '__stop_set_vnet', 'vnet_entry_modspace',
  'vnet_entry_ifnet', 'vnet_entry_ifg_head', 'vnet_entry_loif', 'vnet_entry_in_ifaddrhead',
  'vnet_entry_in6_ifaddrhead', 'vnet_entry_ip_defttl', 'vnet_entry_ip6_defhlim',
  'vnet_entry_tcpstat', 'vnet_entry_tcps_states', 'vnet_entry_udpstat', 'vnet_entry_ipstat',
  'vnet_entry_icmpstat', 'vnet_entry_ip6stat', 'vnet_entry_icmp6stat',
];
/** Statistics arrays: name -> struct whose 64-bit fields they count. */
const STATS = {
  tcpstat: 'tcpstat', udpstat: 'udpstat', ipstat: 'ipstat', icmpstat: 'icmpstat',
  ip6stat: 'ip6stat', icmp6stat: 'icmp6stat',
};

/** FreeBSD 14 amd64 offsets (sys/sys/jail.h, ucred.h, proc.h, pcpu.h, net/if_private.h ...). */
const FBSD14_AMD64_LAYOUT = {
  'vnet.vnet_magic_n': 16, 'vnet.vnet_data_mem': 32, 'vnet.vnet_data_base': 40,
  'vnet.vnet_shutdown': 48, vnet: 64,
  'prison.pr_id': 16, 'prison.pr_flags': 28, 'prison.pr_vnet': 176, 'prison.pr_name': 288,
  'prison.pr_path': 544, prison: 2176,
  'ucred.cr_prison': 152,
  'proc.p_list': 0, 'proc.p_threads': 16, 'proc.p_ucred': 64,
  'pcpu.pc_cpuid': 60, 'pcpu.pc_dynamic': 160, 'pcpu.pc_early_dummy_counter': 168,
  'pcpu.pc_zpcpu_offset': 176, 'pcpu.pc_prvspace': 0x180, pcpu: 4096,
  'ifnet.if_index': 84, 'ifnet.if_xname': 88, 'ifnet.if_flags': 112, 'ifnet.if_drv_flags': 116,
  'ifnet.if_mtu': 160, 'ifnet.if_addrhead': 464, 'ifnet.if_addr': 504, 'ifnet.if_vnet': 920,
  'ifnet.if_get_counter': 1104, 'ifnet.if_counters': 1120, ifnet: 1304,
  'ifaddr.ifa_addr': 0, 'ifaddr.ifa_netmask': 16, 'ifaddr.ifa_link': 40,
  'ifaddr.ifa_ipackets': 56, 'ifaddr.ifa_opackets': 64, 'ifaddr.ifa_ibytes': 72,
  'ifaddr.ifa_obytes': 80, ifaddr: 104,
  'in_ifaddr.ia_ifa': 0, 'in6_ifaddr.ia_ifa': 0,
  'sockaddr_in.sin_addr': 4, sockaddr_in: 16, 'sockaddr_in6.sin6_addr': 8,
  'sockaddr_in6.sin6_scope_id': 24, sockaddr_in6: 28, 'sockaddr_dl.sdl_data': 8,
  if_data: 152, 'if_data.ifi_ipackets': 24,
  tcpstat: 123 * 8, udpstat: 14 * 8, ipstat: 29 * 8, icmpstat: 94 * 8, ip6stat: 415 * 8,
  icmp6stat: 579 * 8, icmp6errstat: 13 * 8,
  'tcpstat.tcps_rcvghostack': 119 * 8, 'tcpstat.tcps_rcvacktooold': 120 * 8,
};

/** struct ifnet member order of FreeBSD 14 (net/if_private.h). */
const FBSD14_IFNET_ORDER = [
  'if_link', 'if_clones', 'if_groups', 'if_alloctype', 'if_numa_domain', 'if_softc', 'if_llsoftc',
  'if_l2com', 'if_dname', 'if_dunit', 'if_index', 'if_idxgen', 'if_xname', 'if_description',
  'if_flags', 'if_drv_flags', 'if_capabilities', 'if_capabilities2', 'if_capenable',
  'if_capenable2', 'if_linkmib', 'if_linkmiblen', 'if_refcount', 'if_type', 'if_addrlen',
  'if_hdrlen', 'if_link_state', 'if_mtu', 'if_metric', 'if_baudrate', 'if_hwassist', 'if_epoch',
  'if_lastchange', 'if_snd', 'if_linktask', 'if_addmultitask', 'if_addr_lock', 'if_addrhead',
  'if_multiaddrs', 'if_amcount', 'if_addr', 'if_hw_addr', 'if_broadcastaddr', 'if_afdata_lock',
  'if_afdata', 'if_afdata_initialized', 'if_fib', 'if_vnet', 'if_home_vnet', 'if_vlantrunk',
  'if_bpf', 'if_pcount', 'if_bridge', 'if_lagg', 'if_pf_kif', 'if_carp', 'if_label', 'if_netmap',
  'if_output', 'if_input', 'if_bridge_input', 'if_bridge_output', 'if_bridge_linkstate',
  'if_start', 'if_ioctl', 'if_init', 'if_resolvemulti', 'if_qflush', 'if_transmit', 'if_reassign',
  'if_get_counter', 'if_requestencap', 'if_counters', 'if_hw_tsomax', 'if_hw_tsomaxsegcount',
  'if_hw_tsomaxsegsize', 'if_snd_tag_alloc', 'if_ratelimit_query', 'if_ratelimit_setup', 'if_pcp',
  'if_debugnet_methods', 'if_epoch_ctx', 'if_ispare',
];

/** struct prison member order of FreeBSD 14 (sys/sys/jail.h). */
const FBSD14_PRISON_ORDER = [
  'pr_list', 'pr_id', 'pr_ref', 'pr_uref', 'pr_flags', 'pr_children', 'pr_proclist', 'pr_sibling',
  'pr_parent', 'pr_mtx', 'pr_task', 'pr_osd', 'pr_cpuset', 'pr_vnet', 'pr_root', 'pr_addrs',
  'pr_prison_racct', 'pr_sparep', 'pr_childcount', 'pr_childmax', 'pr_allow', 'pr_securelevel',
  'pr_enforce_statfs', 'pr_devfs_rsnum', 'pr_state', 'pr_exportcnt', 'pr_spare', 'pr_osreldate',
  'pr_hostid', 'pr_name', 'pr_path', 'pr_hostname', 'pr_domainname', 'pr_hostuuid',
  'pr_osrelease',
];

// ---------------------------------------------------------------------------------------------
// Shared checks

function checkLinkerSets(syms, secs, { vimage }) {
  const start = sym(syms, '__start_set_pcpu');
  const stop = sym(syms, '__stop_set_pcpu');
  assert.equal(start.bind, 'GLOBAL');
  assert.equal(stop.bind, 'GLOBAL');
  const pcpuSec = secs.get('set_pcpu');
  assert.ok(pcpuSec, 'section set_pcpu');
  assert.equal(start.value, pcpuSec.addr);
  assert.equal(stop.value, pcpuSec.addr + BigInt(pcpuSec.size));
  let pcpuEntries = 0;
  for (const [name, list] of syms) {
    if (name.startsWith('pcpu_entry_')) {
      pcpuEntries++;
      for (const s of list) {
        assert.ok(s.value >= start.value && s.value + BigInt(s.size) <= stop.value, `${name} in set_pcpu`);
      }
    }
  }
  assert.ok(pcpuEntries >= 3, 'a few per-CPU variables');
  assert.equal(sym(syms, 'pcpu_entry_modspace').size, 2048);

  if (!vimage) {
    assert.equal(secs.has('set_vnet'), false, 'no set_vnet section without VIMAGE');
    for (const name of syms.keys()) {
      assert.ok(!name.startsWith('vnet_entry_') && !name.includes('set_vnet'), `unexpected ${name}`);
    }
    return;
  }
  const vstart = sym(syms, '__start_set_vnet');
  const vstop = sym(syms, '__stop_set_vnet');
  assert.equal(vstart.bind, 'GLOBAL');
  assert.equal(vstop.bind, 'GLOBAL');
  const vnetSec = secs.get('set_vnet');
  assert.ok(vnetSec, 'section set_vnet');
  assert.match(vnetSec.flags, /W/);
  assert.match(vnetSec.flags, /A/);
  assert.equal(vstart.value, vnetSec.addr);
  assert.equal(vstop.value, vnetSec.addr + BigInt(vnetSec.size));
  let vnetEntries = 0;
  for (const [name, list] of syms) {
    if (!name.startsWith('vnet_entry_')) continue;
    vnetEntries++;
    for (const s of list) {
      assert.ok(vstart.value < s.value || (vstart.value === s.value && s.size > 0), `${name} after start`);
      assert.ok(s.value + BigInt(s.size) <= vstop.value, `${name} before stop`);
      assert.equal(s.type, 'OBJECT');
    }
  }
  assert.ok(vnetEntries >= 15, `${vnetEntries} vnet variables`);
  const mod = sym(syms, 'vnet_entry_modspace');
  assert.equal(mod.size, 8 * 4096, 'VNET_MODMIN = 8 pages');
}

function checkStatsArrays(syms, sizes, prefix) {
  for (const [name, struct] of Object.entries(STATS)) {
    const s = sym(syms, prefix + name);
    assert.equal(s.type, 'OBJECT');
    assert.equal(s.size, 8 * Math.floor(sizes[struct] / 8), `${prefix}${name} has one handle per u64`);
  }
  if (prefix !== '') assert.equal(sym(syms, prefix + 'tcps_states').size, 11 * 8);
}

// ---------------------------------------------------------------------------------------------

describe('simulated kernel build', () => {
  test('flavours.json describes the three flavours and both arches', () => {
    assert.deepEqual(Object.keys(FLAVOURS.flavours).sort(), ['fbsd12', 'fbsd14', 'novimage']);
    assert.deepEqual(Object.keys(FLAVOURS.arches).sort(), ['amd64', 'arm64']);
    assert.equal(FLAVOURS.flavours.fbsd14.vnet.magic, '0x5e4a6f28');
    assert.equal(FLAVOURS.flavours.fbsd12.vnet.magic, '0x3e0d8f29');
    assert.equal(FLAVOURS.flavours.novimage.vnet, null);
    assert.equal(FLAVOURS.flavours.fbsd14.counterEncoding.amd64, 'pcpu-offset');
    assert.equal(FLAVOURS.flavours.fbsd12.counterEncoding.amd64, 'absolute');
    assert.deepEqual(FLAVOURS.arches.arm64.toolchain.debianPackages, ['clang', 'lld']);
  });

  test('rejects bad options before touching a compiler', async () => {
    await assert.rejects(kb.buildSimKernel({ flavour: 'fbsd13', arch: 'amd64', outDir: CACHE }), RangeError);
    await assert.rejects(kb.buildSimKernel({ flavour: 'fbsd14', arch: 'i386', outDir: CACHE }), RangeError);
    await assert.rejects(kb.buildSimKernel({ flavour: 'fbsd14', arch: 'amd64' }), TypeError);
    await assert.rejects(
      kb.buildSimKernel({ flavour: 'fbsd14', arch: 'amd64', outDir: CACHE, dwarfVersion: 3 }),
      RangeError,
    );
  });

  test('a missing compiler is a clear KvmError naming the packages', async () => {
    const saved = process.env.KVM_SIM_CC_ARM64;
    process.env.KVM_SIM_CC_ARM64 = 'no-such-clang-for-libkvm-tests';
    try {
      assert.deepEqual(await kb.simToolchainMissing('arm64'), ['no-such-clang-for-libkvm-tests']);
      await assert.rejects(kb.buildSimKernel({ flavour: 'fbsd14', arch: 'arm64', outDir: CACHE }), (e) => {
        assert.ok(e instanceof KvmError);
        assert.equal(e.code, 'OS');
        assert.equal(e.path, 'no-such-clang-for-libkvm-tests');
        assert.match(e.message, /'no-such-clang-for-libkvm-tests' was not found on PATH/);
        assert.match(e.message, /clang and lld/);
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.KVM_SIM_CC_ARM64;
      else process.env.KVM_SIM_CC_ARM64 = saved;
    }
  });
});

describe('fbsd14 / amd64', () => {
  let elf;
  let syms;
  let secs;
  before(async () => {
    elf = await kb.buildSimKernel({ flavour: 'fbsd14', arch: 'amd64', outDir: CACHE });
    syms = symbols(elf);
    secs = sections(elf);
  });

  test('is cached: a second build returns the same file without rebuilding', async () => {
    const mtime = fs.statSync(elf).mtimeMs;
    const again = await kb.buildSimKernel({ flavour: 'fbsd14', arch: 'amd64', outDir: CACHE });
    assert.equal(again, elf);
    assert.equal(fs.statSync(again).mtimeMs, mtime);
    const info = JSON.parse(fs.readFileSync(path.join(path.dirname(elf), 'build-info.json'), 'utf8'));
    assert.equal(info.flavour, 'fbsd14');
    assert.equal(info.dwarfVersion, 5);
  });

  test('is an amd64 ET_EXEC linked at FreeBSD addresses', () => {
    const h = elfHeader(elf);
    assert.match(h.type, /^EXEC/);
    assert.equal(h.machine, 'Advanced Micro Devices X86-64');
    assert.equal(h.entry, sym(syms, 'btext').value);
    assert.equal(firstLoadVaddr(elf), 0xffffffff80200000n);
    for (const name of ['.text', '.rodata', '.data', 'set_pcpu', 'set_vnet', '.bss', '.debug_info']) {
      assert.ok(secs.has(name), `section ${name}`);
    }
    assert.ok(secs.get('.text').addr > 0xffffffff80200000n && secs.get('.text').addr < 0xffffffff80201000n);
    assert.equal(secs.get('.bss').type, 'NOBITS');
    const kernbase = sym(syms, 'kernbase');
    assert.equal(kernbase.ndx, 'ABS');
    assert.equal(kernbase.bind, 'GLOBAL');
    assert.equal(kernbase.value, 0xffffffff80000000n);
    assert.deepEqual([...dwarfVersions(elf)], [5]);
  });

  test('has every symbol libkvm and netstat look up', () => {
    for (const name of [...COMMON_SYMBOLS, ...VIMAGE_SYMBOLS, 'KPML4phys']) sym(syms, name);
    assert.equal(syms.has('thread0'), false, 'thread0 is a macro for thread0_st.t0st_thread');
    assert.equal(sym(syms, 'if_get_counter_default').type, 'FUNC');
    assert.equal(sym(syms, '__pcpu').size, 8, '__pcpu is a pointer on 14.x amd64');
    assert.equal(sym(syms, 'dpcpu_off').size, 8 * 1024);
    assert.equal(sym(syms, 'cpuid_to_pcpu').size, 8 * 1024);
    assert.equal(sym(syms, 'vnet_head').size, 8);
    assert.equal(sym(syms, 'vnet0').size, 8);
    assert.equal(sym(syms, 'prison0').size, 2176);
    assert.equal(sym(syms, 'dumptid').size, 4);
    assert.equal(sym(syms, 'dumppcb').size, 320);
    assert.equal(syms.has('vnet_entry_if_index'), false, 'if_index is not virtualized in 14');
    checkLinkerSets(syms, secs, { vimage: true });
  });

  test('struct layouts match FreeBSD 14 amd64 (gdb)', NEEDS_GDB, () => {
    const keys = Object.keys(FBSD14_AMD64_LAYOUT);
    assert.deepEqual(gdbLayout(elf, keys), FBSD14_AMD64_LAYOUT);
  });

  test('struct layouts match FreeBSD 14 amd64 (readelf DWARF reader, used for arm64)', () => {
    const structs = dwarfStructs(elf);
    for (const [key, want] of Object.entries(FBSD14_AMD64_LAYOUT)) {
      assert.equal(dwarfOffset(structs, key), want, key);
    }
  });

  test('member order of struct ifnet and struct prison is FreeBSD 14s', NEEDS_GDB, () => {
    assert.deepEqual(gdbMembers(elf, 'ifnet'), FBSD14_IFNET_ORDER);
    assert.deepEqual(gdbMembers(elf, 'prison'), FBSD14_PRISON_ORDER);
    assert.deepEqual(gdbMembers(elf, 'vnet'), [
      'vnet_le', 'vnet_magic_n', 'vnet_ifcnt', 'vnet_sockcnt', 'vnet_state', 'vnet_data_mem',
      'vnet_data_base', 'vnet_shutdown',
    ]);
    const ucred = gdbMembers(elf, 'ucred');
    assert.deepEqual(ucred.slice(0, 5), ['cr_mtx', 'cr_ref', 'cr_users', 'cr_flags', 'cr_audit']);
    const thread = gdbMembers(elf, 'thread');
    for (const m of ['td_proc', 'td_plist', 'td_tid', 'td_ucred', 'td_name', 'td_vnet']) {
      assert.ok(thread.includes(m), `struct thread has ${m}`);
    }
    assert.ok(thread.indexOf('td_tid') < thread.indexOf('td_ucred'));
    assert.ok(thread.indexOf('td_name') < thread.indexOf('td_vnet'));
  });

  test('statistics arrays hold one counter handle per 64-bit field', () => {
    const sizes = layoutOf(elf, Object.values(STATS));
    checkStatsArrays(syms, sizes, 'vnet_entry_');
    assert.equal(sym(syms, 'vnet_entry_tcpstat').size, 984);
    assert.equal(sym(syms, 'vnet_entry_icmp6stat').size, 4632);
  });

  test('initial values are FreeBSD-like and the version string matches flavours.json', NEEDS_GDB, () => {
    const [maxcpus, hz, reldate, ostype, name0, path0, flags0, vnetp, ttl, version] = gdbEval(elf, [
      'mp_maxcpus', 'hz', 'osreldate', 'ostype', 'prison0.pr_name', 'prison0.pr_path',
      '/x prison0.pr_flags', 'prison0.pr_vnet', 'vnet_entry_ip_defttl', 'version',
    ]);
    assert.equal(maxcpus, '1024');
    assert.equal(hz, '1000');
    assert.equal(reldate, String(FLAVOURS.flavours.fbsd14.osreldate));
    assert.equal(ostype, '"FreeBSD"');
    assert.match(name0, /^"0", '\\000' <repeats 254 times>$/);
    assert.match(path0, /^"\/", '\\000' <repeats 1022 times>$/);
    assert.equal(flags0, '0x192', 'PR_HOST|PR_VNET|PR_IP4_SADDRSEL|PR_IP6_SADDRSEL');
    assert.equal(vnetp, '(struct vnet *) 0x0', 'pr_vnet is set at boot (by the builder)');
    assert.equal(ttl, '64');
    const want = FLAVOURS.flavours.fbsd14.version.amd64.replace(/\n/g, '\\n');
    assert.ok(version.startsWith(`"${want}"`), version);
    assert.match(version, /sim/);
  });

  test('builds with DWARF 4 on request', async () => {
    const elf4 = await kb.buildSimKernel({ flavour: 'fbsd14', arch: 'amd64', dwarfVersion: 4, outDir: CACHE });
    assert.notEqual(elf4, elf);
    assert.deepEqual([...dwarfVersions(elf4)], [4]);
    assert.equal(layoutOf(elf4, ['ifnet.if_counters'])['ifnet.if_counters'], 1120);
  });
});

describe('fbsd12 / amd64', () => {
  let elf;
  let syms;
  let secs;
  before(async () => {
    elf = await kb.buildSimKernel({ flavour: 'fbsd12', arch: 'amd64', outDir: CACHE });
    syms = symbols(elf);
    secs = sections(elf);
  });

  test('has the VIMAGE symbols, an __pcpu array and a virtualized if_index', () => {
    for (const name of [...COMMON_SYMBOLS, ...VIMAGE_SYMBOLS, 'vnet_entry_if_index']) sym(syms, name);
    assert.equal(sym(syms, '__pcpu').size, 4096 * 256, 'struct pcpu __pcpu[MAXCPU]');
    assert.equal(sym(syms, 'dpcpu_off').size, 8 * 256);
    assert.equal(syms.has('temp_bsp_pcpu'), false);
    checkLinkerSets(syms, secs, { vimage: true });
    assert.deepEqual([...dwarfVersions(elf)], [4]);
  });

  test('has the 12.x layouts it models', () => {
    const want = {
      vnet: 48, 'vnet.vnet_magic_n': 16, 'vnet.vnet_data_mem': 32, 'vnet.vnet_data_base': 40,
      'prison.pr_vnet': 168, 'prison.pr_name': 288, prison: 2176, 'ucred.cr_prison': 48,
      'pcpu.pc_cpuid': 52, 'pcpu.pc_dynamic': 152, 'pcpu.pc_early_dummy_counter': 160,
      'pcpu.pc_prvspace': 0x180, pcpu: 4096,
      'ifnet.if_index': 84, 'ifnet.if_xname': 88, 'ifnet.if_flags': 112, 'ifnet.if_type': 148,
      'ifnet.if_mtu': 152, 'ifnet.if_addrhead': 424, 'ifnet.if_addr': 464,
      'ifaddr.ifa_rtrequest': 48, 'ifaddr.ifa_ipackets': 64, ifaddr: 112,
      tcpstat: 113 * 8, ip6stat: 414 * 8,
    };
    assert.deepEqual(layoutOf(elf, Object.keys(want)), want);
  });

  test('lacks the members 12.x did not have; initial values are 12.x ones', NEEDS_GDB, () => {
    assert.equal(gdbEval(elf, ['mp_maxcpus'])[0], '256');
    const version = gdbEval(elf, ['version'])[0];
    assert.ok(version.startsWith('"FreeBSD 12.4-RELEASE-p9 #0'), version);
    assert.ok(!gdbMembers(elf, 'vnet').includes('vnet_shutdown'));
    const pcpu = gdbMembers(elf, 'pcpu');
    assert.ok(!pcpu.includes('pc_zpcpu_offset') && !pcpu.includes('pc_sched'));
    const ifnet = gdbMembers(elf, 'ifnet');
    assert.ok(ifnet.includes('if_index_reserved') && !ifnet.includes('if_numa_domain'));
    assert.ok(ifnet.includes('if_netdump_methods') && !ifnet.includes('if_capabilities2'));
    const tcp = gdbMembers(elf, 'tcpstat');
    assert.ok(!tcp.includes('tcps_rcvghostack') && tcp.includes('tcps_ecn_ce'));
  });

  test('statistics arrays match the 12.x structures', () => {
    const sizes = layoutOf(elf, Object.values(STATS));
    checkStatsArrays(syms, sizes, 'vnet_entry_');
    assert.equal(sym(syms, 'vnet_entry_tcpstat').size, 904);
  });
});

describe('novimage / amd64', () => {
  let elf;
  let syms;
  let secs;
  before(async () => {
    elf = await kb.buildSimKernel({ flavour: 'novimage', arch: 'amd64', outDir: CACHE });
    syms = symbols(elf);
    secs = sections(elf);
  });

  test('has no vnet machinery: plain globals instead of vnet_entry_*', () => {
    for (const name of COMMON_SYMBOLS) sym(syms, name);
    for (const name of ['vnet_head', 'vnet0', '__start_set_vnet', '__stop_set_vnet']) {
      assert.equal(syms.has(name), false, `${name} must not exist`);
    }
    checkLinkerSets(syms, secs, { vimage: false });
    for (const name of ['ifnet', 'in_ifaddrhead', 'in6_ifaddrhead', 'ip_defttl']) sym(syms, name);
    const sizes = layoutOf(elf, Object.values(STATS));
    checkStatsArrays(syms, sizes, '');
    assert.equal(sym(syms, 'tcpstat').size, 984);
    const bss = secs.get('.bss');
    const tcp = sym(syms, 'tcpstat');
    assert.ok(tcp.value >= bss.addr && tcp.value < bss.addr + BigInt(bss.size), 'tcpstat in .bss');
  });

  test('keeps 14.x layouts', () => {
    assert.deepEqual(layoutOf(elf, ['prison.pr_vnet', 'vnet', 'ifnet.if_vnet']), {
      'prison.pr_vnet': 176, vnet: 64, 'ifnet.if_vnet': 920,
    });
  });

  test('prison0 does not own a vnet', NEEDS_GDB, () => {
    const [flags, ident] = gdbEval(elf, ['/x prison0.pr_flags', 'kern_ident']);
    assert.equal(flags, '0x182', 'PR_HOST|PR_IP4_SADDRSEL|PR_IP6_SADDRSEL, no PR_VNET');
    assert.equal(ident, '"SIM-NOVIMAGE"');
  });
});

describe('arm64 (clang + ld.lld)', async () => {
  const missing = await kb.simToolchainMissing('arm64');
  const skip = missing.length > 0 ? `arm64 toolchain missing: ${missing.join(', ')} (Debian packages clang, lld)` : false;

  for (const flavour of ['fbsd14', 'fbsd12', 'novimage']) {
    test(`${flavour}: aarch64 ET_EXEC at FreeBSD/arm64 addresses with its symbols`, { skip }, async () => {
      const info = FLAVOURS.flavours[flavour];
      const elf = await kb.buildSimKernel({ flavour, arch: 'arm64', outDir: CACHE });
      const syms = symbols(elf);
      const secs = sections(elf);
      const h = elfHeader(elf);
      assert.match(h.type, /^EXEC/);
      assert.equal(h.machine, 'AArch64');
      assert.equal(firstLoadVaddr(elf), 0xffff000000000000n);
      const kernbase = sym(syms, 'kernbase');
      assert.equal(kernbase.ndx, 'ABS');
      assert.equal(kernbase.value, 0xffff000000000000n);
      for (const name of COMMON_SYMBOLS) sym(syms, name);
      if (info.vimage) for (const name of VIMAGE_SYMBOLS) sym(syms, name);
      assert.equal(syms.has('KPML4phys'), false, 'amd64 only');
      assert.equal(sym(syms, '__pcpu').size, 512 * info.maxcpu, 'struct pcpu __pcpu[MAXCPU] on arm64');
      checkLinkerSets(syms, secs, { vimage: info.vimage });
      assert.deepEqual([...dwarfVersions(elf)], [info.defaultDwarfVersion]);

      const structs = dwarfStructs(elf);
      const sizes = Object.fromEntries(Object.values(STATS).map((s) => [s, dwarfOffset(structs, s)]));
      checkStatsArrays(syms, sizes, info.vimage ? 'vnet_entry_' : '');
      assert.equal(dwarfOffset(structs, 'pcpu'), 512);
      assert.equal(dwarfOffset(structs, 'vnet'), info.osver >= 13 ? 128 : 48);
      assert.equal(dwarfOffset(structs, 'vnet.vnet_data_base'), 40);
      if (info.osver >= 14) {
        for (const key of ['pcpu.pc_cpuid', 'pcpu.pc_dynamic', 'pcpu.pc_zpcpu_offset', 'prison.pr_vnet',
          'prison.pr_name', 'prison', 'ucred.cr_prison', 'ifnet.if_vnet', 'ifnet.if_get_counter',
          'ifnet.if_counters', 'ifnet', 'ifaddr.ifa_ipackets', 'tcpstat']) {
          assert.equal(dwarfOffset(structs, key), FBSD14_AMD64_LAYOUT[key], key);
        }
      } else {
        assert.equal(dwarfOffset(structs, 'prison.pr_vnet'), 168);
        assert.equal(dwarfOffset(structs, 'ifnet.if_mtu'), 152);
      }
    });
  }
});
