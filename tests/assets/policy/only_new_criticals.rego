# Block only new (or reopened) critical findings; everything else passes.
package bastion.gate

import rego.v1

reasons contains {"rule": "new-critical", "outcome": "block", "control": f.control, "finding_ids": [f.id],
	"message": concat("", ["new critical ", f.rule, " at ", f.path, ":", format_int(f.line, 10)])} if {
	some f in input.findings
	some state in ["new", "reopened"] # not `f.state in {...}`: regopy 1.5 crashes on `in` beside `with` tests
	f.state == state
	f.severity == "critical"
	not f.suppressed
}
