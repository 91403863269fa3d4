# What the command-line tests share: counters, ok/bad, and expect_error.
# Sourced after $tmp is set (the directory outputs are written to).

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect_error NAME PATTERN COMMAND...: exit 2, one stderr line matching PATTERN
expect_error() {
	local name=$1 pattern=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$? lines
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q -- "$pattern" "$tmp/err"; then
		ok
	else
		bad "$name: exit $rc, $lines stderr lines: $(cat "$tmp/err")"
	fi
}

# Prints the counts; the status of the test.
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
