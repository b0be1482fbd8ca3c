# Docker Compose services: host access, privileges, images and secrets.
package bastion.checks.compose.services

import data.bastion.lib
import rego.v1

cis := "https://www.cisecurity.org/benchmark/docker"

metadata := {
	"CMP-001": {"title": "Compose service runs privileged", "severity": "critical",
		"rationale": "privileged: true gives the container root on the host.",
		"remediation": "Remove privileged and add only the capabilities needed.", "references": [cis, "CIS Docker 5.4"]},
	"CMP-002": {"title": "Compose service uses the host network", "severity": "high",
		"rationale": "network_mode: host removes network isolation.",
		"remediation": "Use a bridge network and publish ports.", "references": [cis, "CIS Docker 5.9"]},
	"CMP-003": {"title": "Compose service mounts the Docker socket", "severity": "critical",
		"rationale": "Access to docker.sock is root on the host.",
		"remediation": "Do not mount /var/run/docker.sock.", "references": [cis, "CIS Docker 5.31"]},
	"CMP-004": {"title": "Compose service adds dangerous capabilities", "severity": "high",
		"rationale": "ALL or SYS_ADMIN break container isolation.",
		"remediation": "Remove them from cap_add.", "references": [cis, "CIS Docker 5.3"]},
	"CMP-005": {"title": "Compose service image is not pinned", "severity": "medium",
		"rationale": "image: name:latest (or no tag) runs whatever the registry serves that day.",
		"remediation": "Pin the image to a version tag and digest.", "references": [cis]},
	"CMP-006": {"title": "Secret in a Compose environment variable", "severity": "high",
		"rationale": "The value is in the repository and in docker inspect.",
		"remediation": "Use Compose secrets or an env_file kept out of version control.", "references": [cis]},
	"CMP-007": {"title": "Compose service shares the host PID namespace", "severity": "high",
		"rationale": "pid: host lets the container see and signal host processes.",
		"remediation": "Remove pid: host.", "references": [cis, "CIS Docker 5.15"]},
	"CMP-008": {"title": "Compose service disables seccomp or AppArmor", "severity": "high",
		"rationale": "Unconfined profiles allow every system call.",
		"remediation": "Remove seccomp:unconfined / apparmor:unconfined from security_opt.",
		"references": [cis, "CIS Docker 5.21"]},
}

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
services := [[p, name, svc] |
	some p in input.projects
	name_coll := object.get(p, "services", {})
	svc := name_coll[name]
	not startswith(name, "__")
]

deny contains lib.hit("CMP-001", p, svc, "privileged", concat(" ", [name, "is privileged"])) if {
	some [p, name, svc] in services
	svc.privileged == true
}

deny contains lib.hit("CMP-002", p, svc, "network_mode", concat(" ", [name, "uses the host network"])) if {
	some [p, name, svc] in services
	svc.network_mode == "host"
}

volume_source(v) := split(v, ":")[0] if is_string(v)

volume_source(v) := v.source if is_object(v)

deny contains lib.hit("CMP-003", p, svc, "volumes", concat(" ", [name, "mounts the Docker socket"])) if {
	some [p, name, svc] in services
	some v in object.get(svc, "volumes", [])
	endswith(volume_source(v), "docker.sock")
}

deny contains lib.hit("CMP-004", p, svc, "cap_add", concat(" ", [name, "adds", cap])) if {
	some [p, name, svc] in services
	some cap in object.get(svc, "cap_add", [])
	upper(trim_prefix(cap, "CAP_")) in {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE"}
}

deny contains lib.hit("CMP-005", p, svc, "image", concat(" ", [name, "uses unpinned image", svc.image])) if {
	some [p, name, svc] in services
	is_string(svc.image)
	not contains(svc.image, "$")
	lib.unpinned_image(svc.image)
}

env_pairs(env) := [[k, v] | v := env[k]; not startswith(k, "__")] if is_object(env)

env_pairs(env) := [[parts[0], concat("=", array.slice(parts, 1, count(parts)))] |
	some item in env
	parts := split(item, "=")
	count(parts) > 1
] if is_array(env)

deny contains lib.hit("CMP-006", p, svc, "environment", concat(" ", [name, "sets", key, "in plain text"])) if {
	some [p, name, svc] in services
	some [key, value] in env_pairs(object.get(svc, "environment", {}))
	lib.secret_name(key)
	lib.literal_secret(value)
}

deny contains lib.hit("CMP-007", p, svc, "pid", concat(" ", [name, "shares the host PID namespace"])) if {
	some [p, name, svc] in services
	svc.pid == "host"
}

deny contains lib.hit("CMP-008", p, svc, "security_opt", concat(" ", [name, "sets", opt])) if {
	some [p, name, svc] in services
	some opt in object.get(svc, "security_opt", [])
	regex.match(`^(seccomp|apparmor)[:=]unconfined$`, opt)
}
