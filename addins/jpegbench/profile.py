"""Counts trace lines (instructions) per symbol: profile.sh's helper."""
import bisect
import collections
import sys

symbols = []
for line in open(sys.argv[1]):
    parts = line.split(None, 2)
    if len(parts) == 3 and parts[1].lower() in "tw":
        symbols.append((int(parts[0], 16), parts[2].strip()))
symbols.sort()
starts = [a for a, _ in symbols]
focus = sys.argv[2] if len(sys.argv) > 2 else ""

per_address = collections.Counter()
for line in sys.stdin:
    if line[:1] in "0123456789abcdefABCDEF":
        per_address[line[:8]] += 1

per_symbol = collections.Counter()
hot = collections.Counter()
for address, n in per_address.items():
    try:
        a = int(address, 16)
    except ValueError:
        continue
    i = bisect.bisect_right(starts, a) - 1
    name = symbols[i][1] if i >= 0 else "?"
    per_symbol[name] += n
    if focus and focus in name:
        hot[a] += n
total = sum(per_symbol.values())
print(f"{total} instructions")
for name, n in per_symbol.most_common(25):
    print(f"{n:>10} {100 * n / total:5.1f}%  {name[:110]}")
if focus:
    # The focus symbol's disassembly, each instruction with its count.
    import subprocess
    listing = subprocess.run([sys.argv[3], "-d", "-C", sys.argv[4]], capture_output=True, text=True).stdout
    inside = False
    with open(sys.argv[5], "w") as out:
        for line in listing.splitlines():
            if line.endswith(">:"):
                inside = focus in line
            if inside:
                try:
                    a = int(line.split(":")[0], 16)
                except ValueError:
                    out.write(line + "\n")
                    continue
                out.write(f"{hot.get(a, 0):8d} {line}\n")
    print(f"annotated disassembly of {focus!r}: {sys.argv[5]}")
