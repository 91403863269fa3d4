// SPDX-License-Identifier: GPL-2.0-only
/// free_irq() of a handler requested with devm_request_irq() or
/// devm_request_threaded_irq(): devres frees it a second time when the
/// driver detaches. Free it with devm_free_irq(), on the device its
/// request named, which also drops the devres entry.
///
/// irqcheck fix passes the lines of the frees it found as -D lines=L1,L2.
/// Only where a devres request in the file has the same irq and dev_id,
/// and the names its device is made of are in the freeing function.
//
// Confidence: High
// Options: --no-includes --include-headers
//
// Keywords: devm_request_irq, free_irq, devm_free_irq

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

LINES = []
# (irq, dev_id) as written, blanks dropped: the device of the request
DEVRES = {}

def key(irq, dev_id):
	return (re.sub(r"\s+", "", irq), re.sub(r"\s+", "", dev_id))

def in_function(path, line, fn, device):
	# the names the device expression is made of appear in the function
	# fn before line (its parameters and locals)
	try:
		lines = open(path, encoding="latin-1").read().splitlines()
	except OSError:
		return False
	start = None
	for i in range(int(line) - 1, -1, -1):
		if re.match(r"\w[^;]*\b" + re.escape(fn) + r"\s*\(", lines[i]):
			start = i
			break
	if start is None:
		return False
	text = "\n".join(lines[start:int(line) - 1])
	names = re.findall(r"(?<![.>\w])[a-z_]\w*\b(?!\s*\()", device)
	return all(re.search(r"\b" + re.escape(n) + r"\b", text) for n in names)

@script:python depends on patch@
lines << virtual.lines;
@@
LINES.extend(lines.split(","))

@request depends on patch@
expression DEV, I, H, T, F, N, D;
@@
(
devm_request_irq(DEV, I, H, F, N, D)
|
devm_request_threaded_irq(DEV, I, H, T, F, N, D)
)

@script:python@
DEV << request.DEV;
I << request.I;
D << request.D;
@@
# as written: no blanks around -> and . or after a leading &
DEVRES.setdefault(key(I, D),
		  re.sub(r"^&\s+", "&", re.sub(r"\s*(->|\.)\s*", r"\1", DEV)))

@freed depends on patch@
expression I, D;
position p;
@@
free_irq@p(I, D)

@script:python devm_free depends on freed@
p << freed.p;
I << freed.I;
D << freed.D;
device;
@@
dev = DEVRES.get(key(I, D))
if (p[0].line not in LINES or dev is None or
    not in_function(p[0].file, p[0].line, p[0].current_element, dev)):
	cocci.include_match(False)
else:
	coccinelle.device = cocci.make_expr(dev)

@depends on devm_free@
position freed.p;
expression freed.I, freed.D, devm_free.device;
@@
- free_irq@p(I, D)
+ devm_free_irq(device, I, D)
