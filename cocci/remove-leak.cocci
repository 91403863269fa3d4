// SPDX-License-Identifier: GPL-2.0-only
/// remove() ends in a test whose one branch only logs and whose other
/// branch tears the device down (frees the handlers, releases the IRQ
/// vectors, disables the device): when the test goes the logging way the
/// driver is unbound with its handlers attached and its vectors held. A
/// remove() cannot fail; do the teardown on both ways and keep the
/// message.
///
///	if (foo_send_vf_down(vf)) {
///		dev_err(&pdev->dev, "PF not responding to DOWN msg\n");
///	} else {
///		free_irq(...);
///		pci_free_irq_vectors(pdev);
///		...
///	}
///
/// becomes the test with its message, then the teardown.
///
/// irqcheck fix passes the lines it reports the leak at (the closing
/// brace of remove()) as -D lines=L1,L2. Only where the test is the last
/// statement of the function, the logging branch does nothing else, the
/// other branch releases the vectors, and no comment in that branch would
/// be left at the old indentation.
//
// Confidence: Moderate
// Options: --no-includes --include-headers
//
// Keywords: remove, pci_free_irq_vectors, pci_disable_msix, teardown

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

LOGS = re.compile(r"(?i)\w*(^|_)(err|warn|warning|info|dbg|debug|notice|"
		  r"crit|printk)(_\w*)?$")
RELEASES = re.compile(r"\b(pci_free_irq_vectors|pci_disable_msix?)\s*\(")

def only_logs(stmt):
	# every statement of the branch is a call of a logging function
	body = stmt.strip()
	if body.startswith("{"):
		body = body[1:body.rfind("}")]
	parts = [s.strip() for s in body.split(";") if s.strip()]
	if not parts:
		return False
	for part in parts:
		call = re.match(r"(\w+)\s*\(", part)
		if call is None or not LOGS.match(call.group(1)):
			return False
	return True

def uncommented_tail(path, line):
	# the last "else" of the function up to its closing brace (at line) has
	# no comment
	try:
		text = open(path, encoding="latin-1").read()
	except OSError:
		return False
	lines = text.split("\n")
	tail = "\n".join(lines[:int(line)])
	at = tail.rfind("else")
	return at >= 0 and "/*" not in tail[at:] and "//" not in tail[at:]

@teardown depends on patch@
identifier fn;
expression E;
statement S;
statement list SL;
position p;
@@
void fn(...) {
 ...
 if (E)
 S
 else {
 SL
 }
}@p

@script:python depends on teardown@
lines << virtual.lines;
p << teardown.p;
S << teardown.S;
SL << teardown.SL;
@@
if (p[0].line not in lines.split(",") or not only_logs(S) or
    RELEASES.search(SL) is None or
    not uncommented_tail(p[0].file, p[0].line)):
	cocci.include_match(False)

// the logging branch stays as it is (its braces too: a patch that
// only moves the teardown out of the other branch reads best)
@depends on teardown@
identifier teardown.fn;
expression teardown.E;
statement teardown.S;
statement list teardown.SL;
position teardown.p;
@@
void fn(...) {
 ...
 if (E)
 S
- else {
 SL
- }
}@p

@depends on context@
identifier fn;
expression E;
statement S;
statement list SL;
position p;
@@
void fn(...) {
 ...
 if (E)
 S
 else {
*SL
 }
}@p

// report and org print each match alone, with no context diff
@found depends on org || report@
identifier fn;
expression E;
statement S;
statement list SL;
position p;
@@
void fn(...) {
 ...
 if (E)
 S
 else {
SL
 }
}@p

@script:python depends on org@
p << found.p;
@@
cocci.print_main("remove() tears down on one way of its last test only", p)

@script:python depends on report@
p << found.p;
@@
coccilib.report.print_report(p[0], "remove() tears down on one way of its last test only")
