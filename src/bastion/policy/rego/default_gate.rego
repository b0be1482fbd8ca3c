# bastion's default gate, in Rego. Copy it, change it, and name your copy in bastion.yml (policy: {rego: ...}).
#
# input: see docs/policy.md ("The gate's input document"). Output: `reasons`, a set of
# {"rule", "outcome": "pass"|"warn"|"block", "message", "control", "finding_ids"}; the run's outcome is the
# worst reason's (or `outcome`, when a policy defines it). This file decides exactly as the built-in
# DefaultGate does, plus exceptions and inline suppressions.
#
# Messages are built with concat, not sprintf: regopy 1.5 (rego-cpp) quotes computed strings (results of
# concat, lower, function arguments...) that sprintf's %s formats.
package bastion.gate

import rego.v1

n(x) := sprintf("%d", [x])

rank := {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}

block_rank := rank[input.policy.block.severity]

warn_rank := rank[input.policy.warn.severity]

states := concat("/", input.policy.block.states)

# --- controls ---------------------------------------------------------------------------------------------

errored_rule := {"mandatory": "mandatory-control-errored", "advisory": "advisory-control-errored"}

errored_outcome(c) := "block" if {
	c.mode == "mandatory"
	input.policy.fail_closed
} else := "warn"

reasons contains {
	"rule": errored_rule[c.mode], "outcome": errored_outcome(c), "control": c.control, "finding_ids": [],
	"message": sprintf("%s control '%s' could not run: %s", [c.mode, c.control, c.reason]),
} if {
	some c in input.controls
	c.status == "errored"
}

more(c) := " …" if count(c.unanalysed) > 5

else := ""

reasons contains {
	"rule": "control-partially-errored", "outcome": "warn", "control": c.control, "finding_ids": [],
	"message": concat("", [
		"control '", c.control, "' could not analyse ", n(count(c.unanalysed)), " file(s): ",
		concat(", ", [u.path | u := c.unanalysed[i]; i < 5]), more(c),
	]),
} if {
	some c in input.controls
	c.status == "partial"
}

# --- exceptions and suppressions ----------------------------------------------------------------------------

covered(f) if {
	some e in input.exceptions
	e.active
	f.id in e.covers
}

judged(f) if {
	f.open
	not f.suppressed
	not covered(f)
}

severe(f) if {
	rank[f.severity] >= block_rank
	f.state in input.policy.block.states
}

reasons contains {
	"rule": "exception-applied", "outcome": "pass", "control": null, "finding_ids": ids,
	"message": concat("", [
		"exception ", e.id, " (", e.reason, "; approved by ", e.approver, " until ", e.expires, ") covers ",
		n(count(ids)), " finding(s)",
	]),
} if {
	some e in input.exceptions
	e.active
	ids := [f.id | some f in input.findings; f.open; f.id in e.covers]
	count(ids) > 0
}

reasons contains {
	"rule": "exception-expired", "outcome": "warn", "control": null, "finding_ids": ids,
	"message": concat("", [
		"exception ", e.id, " expired on ", e.expires, ": its ", n(count(ids)), " finding(s) are judged again",
	]),
} if {
	some e in input.exceptions
	not e.active
	ids := [f.id | some f in input.findings; f.open; f.id in e.covers]
	count(ids) > 0
}

reasons contains {
	"rule": "suppressed-inline", "outcome": "pass", "control": control, "finding_ids": ids,
	"message": concat("", [n(count(ids)), " finding(s) from '", control, "' suppressed in the code (bastion:allow)"]),
} if {
	some control in {f.control | some f in input.findings}
	ids := [f.id | some f in input.findings; f.control == control; f.open; f.suppressed]
	count(ids) > 0
}

# --- findings -----------------------------------------------------------------------------------------------

controls := {f.control | some f in input.findings}

ids_of(control, mode) := [f.id | some f in input.findings; f.control == control; judged(f); severe(f); f.mode == mode]

reasons contains {
	"rule": "blocking-findings", "outcome": "block", "control": control, "finding_ids": ids,
	"message": concat("", [
		n(count(ids)), " ", states, " finding(s) of severity ", input.policy.block.severity,
		" or worse from mandatory control '", control, "'",
	]),
} if {
	some control in controls
	ids := ids_of(control, "mandatory")
	count(ids) > 0
}

reasons contains {
	"rule": "advisory-findings", "outcome": "warn", "control": control, "finding_ids": ids,
	"message": concat("", [
		n(count(ids)), " ", states, " finding(s) of severity ", input.policy.block.severity,
		" or worse from advisory control '", control, "' (advisory controls never block)",
	]),
} if {
	some control in controls
	ids := ids_of(control, "advisory")
	count(ids) > 0
}

reasons contains {
	"rule": "open-findings", "outcome": "warn", "control": control, "finding_ids": ids,
	"message": concat("", [
		n(count(ids)), " open finding(s) of severity ", input.policy.warn.severity, " or worse from '",
		control, "' below the blocking bar",
	]),
} if {
	some control in controls
	ids := [f.id | some f in input.findings; f.control == control; judged(f); not severe(f); rank[f.severity] >= warn_rank]
	count(ids) > 0
}
