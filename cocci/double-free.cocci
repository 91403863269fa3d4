// SPDX-License-Identifier: GPL-2.0-only
/// An unwind that releases the vectors twice: an earlier label releases
/// them and falls through to a later one that releases them again (the
/// later release is needed by the paths that jump straight to it). Drop
/// the earlier releases of that device: every path through them goes on
/// to the later one.
///
/// irqcheck fix passes each second release with the line of the first,
/// -D pairs=Y:X (Y the second, X the first). Only where both are in one
/// function, X comes first, and no return, goto or break stands between
/// them (the way from X to Y is a fall-through); every release of the
/// same device between them is dropped (pci_disable_msix() beside
/// pci_disable_msi()). A first release in a helper another path calls
/// gets no patch.
//
// Confidence: Moderate
// Options: --no-includes --include-headers
//
// Keywords: pci_free_irq_vectors, pci_disable_msi, unwind

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

PAIRS = []
# (line, function, device, file) of every release
RELEASES = []

def norm(e):
	return re.sub(r"\s+", "", e)

# the lines of each file read, by path (each release asks again)
TEXTS = {}

def lines_of(path):
	if path not in TEXTS:
		try:
			TEXTS[path] = open(path, encoding="latin-1").read().splitlines()
		except OSError:
			TEXTS[path] = None
	return TEXTS[path]

def falls_through(path, first, second):
	# nothing leaves between the two lines
	lines = lines_of(path)
	if lines is None:
		return False
	between = "\n".join(lines[int(first) - 1:int(second) - 1])
	between = re.sub(r"/\*.*?\*/|//[^\n]*", "", between, flags=re.S)
	return re.search(r"\b(return|goto|break|continue)\b", between) is None

def dropped(line, fn, path):
	for second, first in PAIRS:
		rel = [r for r in RELEASES if r[0] == second and r[1] == fn]
		if not rel or int(first) >= int(second):
			continue
		if not any(r[0] == first and r[1] == fn for r in RELEASES):
			continue
		device = rel[0][2]
		if not falls_through(path, first, second):
			continue
		if line == first:
			return True
		# the releases of the device right above the first one, with
		# nothing else between (pci_disable_msix() before
		# pci_disable_msi())
		same = set(r[0] for r in RELEASES
			   if r[1] == fn and r[2] == device)
		above = int(first) - 1
		while str(above) in same or blank(path, above):
			if str(above) == line:
				return True
			above -= 1
	return False

def blank(path, line):
	lines = lines_of(path)
	return lines is not None and 0 < line <= len(lines) and \
	       not lines[line - 1].strip()

@script:python depends on patch@
pairs << virtual.pairs;
@@
for pair in pairs.split(","):
	second, first = pair.split(":")
	PAIRS.append((second, first))

@release depends on patch@
expression d;
position p;
@@
(
pci_free_irq_vectors@p(d);
|
pci_disable_msi@p(d);
|
pci_disable_msix@p(d);
)

@script:python@
p << release.p;
d << release.d;
@@
RELEASES.append((p[0].line, p[0].current_element, norm(d), p[0].file))

@script:python earlier depends on release@
p << release.p;
@@
if not dropped(p[0].line, p[0].current_element, p[0].file):
	cocci.include_match(False)

@depends on earlier@
expression d;
position release.p;
@@
(
- pci_free_irq_vectors@p(d);
|
- pci_disable_msi@p(d);
|
- pci_disable_msix@p(d);
)
