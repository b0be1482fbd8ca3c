# Block when a mandatory control errored; advisory controls never block. Plus: block mandatory findings past SLA.
package bastion.gate

import rego.v1

reasons contains {"rule": "mandatory-control-errored", "outcome": "block", "control": c.control,
	"finding_ids": [], "message": concat(" ", ["control", c.control, "could not run"])} if {
	some c in input.controls
	c.status == "errored"
	c.mode == "mandatory"
}

reasons contains {"rule": "past-sla", "outcome": "block", "control": f.control, "finding_ids": [f.id],
	"message": concat("", [f.id, " is past its SLA (", f.sla_due, ")"])} if {
	some f in input.findings
	f.open
	f.mode == "mandatory"
	is_string(f.sla_due)
	f.sla_due < input.today
}
