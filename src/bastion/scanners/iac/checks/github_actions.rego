# GitHub Actions workflows: supply chain of actions, untrusted input in scripts, token permissions.
package bastion.checks.github_actions.workflows

import data.bastion.lib
import rego.v1

hardening := "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions"

lab := "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/"

metadata := {
	"GHA-001": {"title": "Third-party action is not pinned to a commit SHA", "severity": "medium",
		"rationale": "A tag or branch can be moved to malicious code after review (tj-actions/changed-files, 2025).",
		"remediation": "Pin uses: to a full 40-character commit SHA and keep the version in a comment.",
		"references": [hardening]},
	"GHA-002": {"title": "pull_request_target checks out the pull request's code", "severity": "critical",
		"rationale": "The workflow runs with secrets and a write token; checking out the PR head runs untrusted code with them.",
		"remediation": "Use pull_request, or never check out or build the PR head in pull_request_target.",
		"references": [lab]},
	"GHA-003": {"title": "Untrusted event data interpolated into a run script", "severity": "high",
		"rationale": "${{ github.event.* }} text (titles, bodies, branch names) is pasted into the shell: script injection.",
		"remediation": "Pass the value through env: and use \"$VAR\" in the script.",
		"references": [hardening]},
	"GHA-004": {"title": "Workflow grants write-all permissions", "severity": "high",
		"rationale": "Every job gets a token that can push code, create releases and change settings.",
		"remediation": "Set permissions: to the minimum (contents: read) and widen per job.",
		"references": [hardening]},
	"GHA-005": {"title": "Workflow does not restrict token permissions", "severity": "low",
		"rationale": "Without permissions: the token gets the repository's default, often read-write.",
		"remediation": "Add a top-level permissions: block (contents: read).", "references": [hardening]},
	"GHA-006": {"title": "Secret echoed in a run script", "severity": "high",
		"rationale": "Masking is best effort; echoing a secret can leak it into logs or artifacts.",
		"remediation": "Never print secrets; pass them through env to the tool that needs them.",
		"references": [hardening]},
	"GHA-007": {"title": "Unsafe workflow commands enabled", "severity": "high",
		"rationale": "ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables set-env and add-path, which allow injection.",
		"remediation": "Remove ACTIONS_ALLOW_UNSECURE_COMMANDS and use $GITHUB_ENV / $GITHUB_PATH.",
		"references": ["https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/"]},
	"GHA-008": {"title": "Docker action is not pinned to a digest", "severity": "medium",
		"rationale": "docker:// images by tag can change under the workflow.",
		"remediation": "Use docker://image@sha256:...", "references": [hardening]},
	"GHA-009": {"title": "Checkout keeps credentials in the workspace", "severity": "low",
		"rationale": "persist-credentials leaves the token in .git/config for every later step to read.",
		"remediation": "Set with: persist-credentials: false.",
		"references": ["https://github.com/actions/checkout#usage"]},
	"GHA-010": {"title": "Self-hosted runner used by a pull request workflow", "severity": "medium",
		"rationale": "Code from forks runs on a persistent machine inside your network.",
		"remediation": "Run pull request jobs on GitHub-hosted or ephemeral runners.", "references": [hardening]},
}

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
jobs := [[wf, id, job] |
	some wf in input.workflows
	id_coll := object.get(wf, "jobs", {})
	job := id_coll[id]
	not startswith(id, "__")
	is_object(job)
]

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
steps := [[wf, job, step] |
	some [wf, _, job] in jobs
	some step in object.get(job, "steps", [])
]

first_party(uses) if startswith(uses, "./")

first_party(uses) if regex.match(`^(actions|github)/`, uses)

deny contains lib.hit("GHA-001", wf, step, "uses", concat(" ", [step.uses, "is not pinned to a commit SHA"])) if {
	some [wf, _, step] in steps
	is_string(step.uses)
	not startswith(step.uses, "docker://")
	not first_party(step.uses)
	not regex.match(`@[0-9a-f]{40}$`, step.uses)
}

deny contains lib.hit("GHA-001", wf, job, "uses", concat(" ", [job.uses, "is not pinned to a commit SHA"])) if {
	some [wf, _, job] in jobs
	is_string(job.uses)
	not first_party(job.uses)
	not regex.match(`@[0-9a-f]{40}$`, job.uses)
}

head_ref(value) if regex.match(`github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/`, value)

deny contains lib.hit("GHA-002", wf, step, "with", "pull_request_target checks out the PR head") if {
	some [wf, _, step] in steps
	"pull_request_target" in wf.triggers
	startswith(object.get(step, "uses", ""), "actions/checkout")
	some _, value in object.get(step, "with", {})
	is_string(value)
	head_ref(value)
}

untrusted := `\$\{\{\s*(github\.event\.(issue|pull_request|comment|review|review_comment|discussion|pages|commits|head_commit|workflow_run)[^}]*\.(title|body|message|name|email|ref|label|head_branch|default_branch|page_name)|github\.head_ref)\s*\}\}`

deny contains lib.hit("GHA-003", wf, step, "run", "untrusted event data is interpolated into run:") if {
	some [wf, _, step] in steps
	is_string(step.run)
	regex.match(untrusted, step.run)
}

deny contains lib.hit("GHA-003", wf, step, "with", "untrusted event data is interpolated into a script") if {
	some [wf, _, step] in steps
	startswith(object.get(step, "uses", ""), "actions/github-script")
	is_string(step["with"].script)
	regex.match(untrusted, step["with"].script)
}

deny contains lib.hit("GHA-004", wf, wf, "permissions", "the workflow grants write-all") if {
	some wf in input.workflows
	wf.permissions == "write-all"
}

deny contains lib.hit("GHA-004", wf, job, "permissions", "a job grants write-all") if {
	some [wf, _, job] in jobs
	job.permissions == "write-all"
}

deny contains lib.hit("GHA-005", wf, wf, "jobs", "no permissions: block") if {
	some wf in input.workflows
	not "permissions" in object.keys(wf)
	some id, job in object.get(wf, "jobs", {})
	not startswith(id, "__")
	not "permissions" in object.keys(job)
}

deny contains lib.hit("GHA-006", wf, step, "run", "a secret is echoed") if {
	some [wf, _, step] in steps
	is_string(step.run)
	regex.match(`(echo|printf|cat)[^\n]*\$\{\{\s*secrets\.`, step.run)
}

deny contains lib.hit("GHA-007", wf, node, "env", "ACTIONS_ALLOW_UNSECURE_COMMANDS is enabled") if {
	some node in array.concat([wf | some wf in input.workflows], [x | some [_, _, x] in jobs])
	lower(sprintf("%v", [object.get(object.get(node, "env", {}), "ACTIONS_ALLOW_UNSECURE_COMMANDS", "")])) == "true"
	wf := [w | some w in input.workflows][0]
}

deny contains lib.hit("GHA-008", wf, step, "uses", concat(" ", [step.uses, "is not pinned to a digest"])) if {
	some [wf, _, step] in steps
	startswith(object.get(step, "uses", ""), "docker://")
	not contains(step.uses, "@sha256:")
}

deny contains lib.hit("GHA-009", wf, step, "uses", "checkout persists credentials") if {
	some [wf, _, step] in steps
	startswith(object.get(step, "uses", ""), "actions/checkout")
	not object.get(object.get(step, "with", {}), "persist-credentials", true) == false
}

deny contains lib.hit("GHA-010", wf, job, "runs-on", "a pull request job runs on a self-hosted runner") if {
	some [wf, _, job] in jobs
	some trigger in wf.triggers
	trigger in {"pull_request", "pull_request_target"}
	contains(sprintf("%v", [job["runs-on"]]), "self-hosted")
}
