#!/usr/bin/env python3
"""Summarize a scripts/measure-variants.sh result directory."""
import json, os, re, statistics, sys, glob

d = sys.argv[1]
o = os.path.join(d, 'out')

def mbps(f):
    try:
        j = json.load(open(f))
    except Exception:
        return None
    e = j.get('end', {})
    s = e.get('sum_received') or {}
    if not s.get('seconds'):
        return None
    return s['bytes'] / s['seconds'] / 1e6

tput = {}
for f in sorted(glob.glob(os.path.join(o, 'tput.*.json'))):
    _, v, spec, r, _ = os.path.basename(f).split('.')
    x = mbps(f)
    if x is not None:
        tput.setdefault(spec, {}).setdefault(v, []).append(x)

def fmt(xs):
    if not xs:
        return 'n/a'
    m = statistics.mean(xs)
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f'{m:6.3f} MB/s (sd {sd:.3f}, n={len(xs)}, min {min(xs):.3f}, max {max(xs):.3f})'

print('== throughput over wlan0 (iperf3, MB/s = 10^6 bytes/s, first 2 s omitted)')
for spec in sorted(tput):
    print(f'-- {spec}')
    for v in sorted(tput[spec]):
        print(f'   {v:7s} {fmt(tput[spec][v])}')
    b = tput[spec].get('b')
    if b:
        mb = statistics.mean(b)
        for v in ('c-prep', 'c-v2'):
            if tput[spec].get(v):
                print(f'   {v}/b = {statistics.mean(tput[spec][v]) / mb:.3f}')

def race_progress(path, t0, onset):
    """From STORM_SAMPLE snapshots: when traffic started, confirms per second
    and the drift (lost increments) per confirm up to the last sample before
    the onset -- the two factors the onset time is the quotient of."""
    try:
        rows = []
        for line in open(path, errors='replace'):
            kv = dict(re.findall(r'(\S+?)[=:] ?(\S+)', line))
            if 't' in kv and 'confirms' in kv and 'hw_bufs_drift' in kv:
                rows.append((float(kv['t']) - t0, int(kv['confirms']), int(kv['hw_bufs_drift'])))
    except OSError:
        return None
    start = next((r for r in rows if r[1] >= 100), None)
    if not start or onset is None:
        return None
    pre = [r for r in rows if r[0] < onset and r[1] > start[1]]
    if not pre:
        return None
    last = pre[-1]
    rate = (last[1] - start[1]) / (last[0] - start[0]) if last[0] > start[0] else 0
    lost = -last[2]
    return (f'traffic from {start[0]:.1f} s, {rate:.0f} confirms/s, '
            f'{lost} increments lost by {last[0]:.1f} s over {last[1]} confirms '
            f'({1000.0 * lost / max(last[1], 1):.1f} per 1000 confirms)')


ts_re = re.compile(r'^\[\s*(\d+\.\d+)\]\s*(.*)$')
runs = sorted(glob.glob(os.path.join(o, 'storm.*.t0')), key=lambda p: int(p.split('.')[-2]))
if runs:
    print('== storm runs (variant, onset = first WARN after stress start)')
    repro = 0
    onsets = []
    for t0f in runs:
        base = t0f[:-3]
        t0 = float(open(t0f).read())
        warns, breaks = [], []
        try:
            lines = open(base + '.dmesg', errors='replace').read().splitlines()
        except OSError:
            lines = []
        for l in lines:
            m = ts_re.match(l)
            if not m:
                continue
            t, msg = float(m.group(1)), m.group(2)
            if msg.startswith('WARNING:') and '[bes2600]' in msg:
                warns.append((t, msg))
            if 'link break between lmac and host' in msg:
                breaks.append(t)
        wl = open(base + '.wlan0').read().strip() if os.path.exists(base + '.wlan0') else '?'
        en = open(base + '.enu1').read().strip() if os.path.exists(base + '.enu1') else '?'
        fn = sorted({re.sub(r'.* at [^ ]+ (\w+)\+.*', r'\1', m) for _, m in warns})
        onset = warns[0][0] - t0 if warns else None
        wedge = breaks[0] - t0 if breaks else None
        ok = bool(warns) and bool(breaks) and wl == 'dead' and en == 'up'
        repro += ok
        if onset is not None:
            onsets.append(onset)
        print(f'   run {base.split(".")[-1]:>2}: WARNs {len(warns):4d} in {",".join(fn) or "-"}'
              f'  onset {onset if onset is None else round(onset, 1)} s'
              f'  link-break {wedge if wedge is None else round(wedge, 1)} s'
              f'  wlan0 {wl}  enu1 {en}  => {"STORM+WEDGE" if ok else "no"}')
        race = race_progress(base + '.samples', t0, onset)
        if race:
            print('           ' + race)
    print(f'   reproduced {repro}/{len(runs)}', end='')
    if onsets:
        inside = sum(1 for x in onsets if 10.0 <= x <= 20.0)
        print(f'; onset min {min(onsets):.1f} s, median {statistics.median(onsets):.1f} s, max {max(onsets):.1f} s;'
              f' inside 10-20 s: {inside}/{len(runs)}')
    else:
        print()

cyc = sorted(glob.glob(os.path.join(o, 'cycles.*.dmesg')))
if cyc:
    print('== insmod/rmmod cycles')
    for f in cyc:
        v = os.path.basename(f).split('.')[1]
        txt = open(f, errors='replace').read()
        bad = [l for l in txt.splitlines() if re.search(r'WARNING|BUG|Oops|leak|refcount|unregister_netdevice: waiting', l)]
        loads = txt.count('simulation stand-in')
        unloads = txt.count('bes2600: unloaded')
        print(f'   {v:7s} loads {loads} unloads {unloads} splats/leak messages {len(bad)}')
        for l in bad[:5]:
            print('      ' + l)
