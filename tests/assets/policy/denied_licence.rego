# Block any open finding whose package carries a denied licence.
package bastion.gate

import rego.v1


reasons contains {"rule": "denied-licence", "outcome": "block", "control": f.control, "finding_ids": [f.id],
	"message": concat(" ", [object.get(f, "package", "?"), "is licensed", f.licence])} if {
	some f in input.findings
	f.open
	some denied in ["GPL-3.0", "AGPL-3.0"] # not `in`: regopy 1.5 crashes on `in` beside `with` tests
	f.licence == denied
}
