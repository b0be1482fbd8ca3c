# Dockerfile checks: the user the image runs as, what it downloads and how, secrets baked into layers.
package bastion.checks.dockerfile.image

import data.bastion.lib
import rego.v1

cis := "https://www.cisecurity.org/benchmark/docker"

best := "https://docs.docker.com/build/building/best-practices/"

metadata := {
	"DKR-001": {"title": "Image runs as root: no USER instruction", "severity": "medium",
		"rationale": "A process running as root in the container is root on the host after an escape.",
		"remediation": "Add USER with a non-root user in the final stage.", "references": [cis, "CIS Docker 4.1"]},
	"DKR-002": {"title": "Image switches to the root user last", "severity": "high",
		"rationale": "The final USER decides who the container runs as.",
		"remediation": "End the final stage with USER set to a non-root user.", "references": [cis, "CIS Docker 4.1"]},
	"DKR-003": {"title": "ADD downloads from a URL", "severity": "medium",
		"rationale": "ADD fetches without checksum verification and keeps the archive in a layer.",
		"remediation": "Use curl or wget with checksum verification in RUN, or ADD --checksum.",
		"references": [best, "CIS Docker 4.9"]},
	"DKR-004": {"title": "Piping a download into a shell", "severity": "high",
		"rationale": "curl | sh runs whatever the server (or a man in the middle) sends, unverified.",
		"remediation": "Download, verify a checksum or signature, then run.", "references": [best]},
	"DKR-005": {"title": "Secret in an ENV instruction", "severity": "high",
		"rationale": "ENV values are stored in the image configuration, visible to anyone who pulls it.",
		"remediation": "Use build secrets (RUN --mount=type=secret) or runtime configuration.",
		"references": [best, "CIS Docker 4.10"]},
	"DKR-006": {"title": "Secret in an ARG instruction", "severity": "medium",
		"rationale": "Build arguments are recorded in the image history.",
		"remediation": "Use build secrets (RUN --mount=type=secret).", "references": [best, "CIS Docker 4.10"]},
	"DKR-007": {"title": "Base image is not pinned", "severity": "medium",
		"rationale": "FROM image:latest (or no tag) builds from whatever the registry serves that day.",
		"remediation": "Pin the base image to a version tag and digest.", "references": [best]},
	"DKR-008": {"title": "apt-get install without --no-install-recommends", "severity": "low",
		"rationale": "Recommended packages enlarge the attack surface for nothing.",
		"remediation": "Use apt-get install --no-install-recommends.", "references": [best]},
	"DKR-009": {"title": "sudo used in RUN", "severity": "medium",
		"rationale": "sudo in an image implies a root-capable user at run time.",
		"remediation": "Run privileged steps before USER, without sudo.", "references": [cis]},
	"DKR-010": {"title": "Image exposes SSH port 22", "severity": "medium",
		"rationale": "Containers should not run sshd; use docker exec or kubectl exec.",
		"remediation": "Remove EXPOSE 22 and the SSH server.", "references": [cis]},
	"DKR-011": {"title": "World-writable permissions set", "severity": "medium",
		"rationale": "chmod 777 lets any user in the container change the files.",
		"remediation": "Grant the narrowest permissions needed.", "references": [cis]},
	"DKR-012": {"title": "No HEALTHCHECK instruction", "severity": "info",
		"rationale": "Without a health check the runtime cannot detect a hung service.",
		"remediation": "Add a HEALTHCHECK.", "references": [cis, "CIS Docker 4.6"]},
	"DKR-013": {"title": "TLS verification disabled in a download", "severity": "high",
		"rationale": "curl -k / wget --no-check-certificate accept any certificate, so downloads can be replaced.",
		"remediation": "Remove the flag and fix the trust store instead.", "references": [best]},
}

final(df) := df.stages[count(df.stages) - 1]

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
instructions := [[df, ins] |
	some df in input.dockerfiles
	some stage in df.stages
	some ins in stage.instructions
]

stage_names(df) := {s.name | some s in df.stages; s.name != ""}

finding(id, df, ins, msg) := {"id": id, "msg": msg, "file": df.file, "line": ins.line, "resource": ""}

users(stage) := [ins | some ins in stage.instructions; ins.cmd == "USER"]

deny contains finding("DKR-001", df, final(df).instructions[0], "the final stage never sets USER") if {
	some df in input.dockerfiles
	count(df.stages) > 0
	count(users(final(df))) == 0
	final(df).image != "scratch"
}

deny contains finding("DKR-002", df, last, sprintf("the final USER is %s", [last.value])) if {
	some df in input.dockerfiles
	u := users(final(df))
	count(u) > 0
	last := u[count(u) - 1]
	split(trim_space(last.value), ":")[0] in {"root", "0"}
}

deny contains finding("DKR-003", df, ins, sprintf("ADD %s", [ins.value])) if {
	some [df, ins] in instructions
	ins.cmd == "ADD"
	regex.match(`(^|\s)https?://`, ins.value)
	not contains(ins.value, "--checksum")
}

deny contains finding("DKR-004", df, ins, "a download is piped into a shell") if {
	some [df, ins] in instructions
	ins.cmd == "RUN"
	regex.match(`(curl|wget)[^|;&]*\|\s*(sudo\s+)?(ba|z|da)?sh`, ins.value)
}

# ENV and ARG take NAME=value pairs, or one NAME followed by its value.
pairs(value) := [[k, v] |
	some token in split(value, " ")
	contains(token, "=")
	parts := split(token, "=")
	k := parts[0]
	v := trim(concat("=", array.slice(parts, 1, count(parts))), "\"'")
] if contains(value, "=")

pairs(value) := [[parts[0], concat(" ", array.slice(parts, 1, count(parts)))]] if {
	not contains(value, "=")
	parts := split(trim_space(value), " ")
}

deny contains finding(id, df, ins, concat(" ", [ins.cmd, "sets", name])) if {
	some [df, ins] in instructions
	some cmd, id in {"ENV": "DKR-005", "ARG": "DKR-006"}
	ins.cmd == cmd
	some [name, value] in pairs(ins.value)
	lib.secret_name(name)
	lib.literal_secret(value)
}

deny contains finding("DKR-007", df, stage.instructions[0], sprintf("FROM %s is not pinned", [stage.image])) if {
	some df in input.dockerfiles
	some stage in df.stages
	stage.image != "scratch"
	not stage.image in stage_names(df)
	not contains(stage.image, "$")
	lib.unpinned_image(stage.image)
}

deny contains finding("DKR-008", df, ins, "apt-get install without --no-install-recommends") if {
	some [df, ins] in instructions
	ins.cmd == "RUN"
	regex.match(`apt-get\s+(-\S+\s+)*install`, ins.value)
	not contains(ins.value, "--no-install-recommends")
}

deny contains finding("DKR-009", df, ins, "RUN uses sudo") if {
	some [df, ins] in instructions
	ins.cmd == "RUN"
	regex.match(`(^|[\s;&|])sudo\s`, ins.value)
}

deny contains finding("DKR-010", df, ins, "EXPOSE 22") if {
	some [df, ins] in instructions
	ins.cmd == "EXPOSE"
	some port in split(ins.value, " ")
	split(port, "/")[0] == "22"
}

deny contains finding("DKR-011", df, ins, "chmod 777") if {
	some [df, ins] in instructions
	ins.cmd == "RUN"
	regex.match(`chmod\s+(-R\s+)?0?777`, ins.value)
}

deny contains finding("DKR-012", df, final(df).instructions[0], "no HEALTHCHECK") if {
	some df in input.dockerfiles
	count(df.stages) > 0
	count([ins | some [d, ins] in instructions; d == df; ins.cmd == "HEALTHCHECK"]) == 0
}

deny contains finding("DKR-013", df, ins, "TLS verification is disabled") if {
	some [df, ins] in instructions
	ins.cmd == "RUN"
	regex.match(`(curl([^;&|]*)?\s(-k|--insecure)(\s|$))|(wget\s[^;&|]*--no-check-certificate)`, ins.value)
}
