# GitLab CI pipelines and Docker Compose projects: images, secrets, host access.
package bastion.checks.gitlab_ci.pipelines

import data.bastion.lib
import rego.v1

gitlab := "https://docs.gitlab.com/ee/ci/pipelines/pipeline_security.html"

metadata := {
	"GLC-001": {"title": "CI job image is not pinned", "severity": "medium",
		"rationale": "image: name:latest (or no tag) runs whatever the registry serves that day.",
		"remediation": "Pin the image to a version tag and digest.", "references": [gitlab]},
	"GLC-002": {"title": "Secret hard-coded in CI variables", "severity": "high",
		"rationale": "Values in .gitlab-ci.yml are in the repository for everyone who can read it.",
		"remediation": "Define the variable as a masked, protected CI/CD variable in the project settings.",
		"references": ["https://docs.gitlab.com/ee/ci/variables/"]},
	"GLC-003": {"title": "Download piped into a shell in a CI script", "severity": "high",
		"rationale": "curl | sh runs unverified code with the job's credentials.",
		"remediation": "Download, verify a checksum or signature, then run.", "references": [gitlab]},
	"GLC-004": {"title": "Docker-in-Docker without TLS", "severity": "medium",
		"rationale": "An empty DOCKER_TLS_CERTDIR exposes the Docker daemon unauthenticated on the network.",
		"remediation": "Keep DOCKER_TLS_CERTDIR set (\"/certs\").",
		"references": ["https://docs.gitlab.com/ee/ci/docker/using_docker_build.html"]},
	"GLC-005": {"title": "Remote CI include without a pinned ref", "severity": "medium",
		"rationale": "An included remote file or project at a moving ref can change the pipeline without review.",
		"remediation": "Include projects at a commit SHA or tag; avoid include: remote.", "references": [gitlab]},
}

image_name(image) := image if is_string(image)

image_name(image) := image.name if is_object(image)

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
nodes := array.concat(
[[p, key, node] |
	some p in input.pipelines
	key_coll := p.jobs
	node := key_coll[key]
],
[[p, "default", p.globals["default"]] |
	some p in input.pipelines
	is_object(p.globals["default"])
]
) if true


deny contains lib.hit("GLC-001", p, node, "image", concat(" ", [key, "uses unpinned image", image_name(node.image)])) if {
	some [p, key, node] in nodes
	lib.unpinned_image(image_name(node.image))
	not contains(image_name(node.image), "$")
}

deny contains lib.hit("GLC-001", p, p, "image", concat(" ", ["unpinned global image", image_name(p.globals.image)])) if {
	some p in input.pipelines
	lib.unpinned_image(image_name(p.globals.image))
}

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
variables := array.concat(
[[p, vars, name, value] |
	some p in input.pipelines
	vars := p.globals.variables
	name_coll := vars
	value := name_coll[name]
],
[[p, vars, name, value] |
	some [p, _, node] in nodes
	vars := node.variables
	name_coll := vars
	value := name_coll[name]
]
) if true


deny contains lib.hit("GLC-002", p, vars, name, concat(" ", ["variable", name, "holds a secret"])) if {
	some [p, vars, name, value] in variables
	lib.secret_name(name)
	lib.literal_secret(value)
}

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
scripts := [[p, node, line] |
	some [p, _, node] in nodes
	some key in ["script", "before_script", "after_script"]
	some line in node[key]
	is_string(line)
]

deny contains lib.hit("GLC-003", p, node, "script", "a download is piped into a shell") if {
	some [p, node, line] in scripts
	regex.match(`(curl|wget)[^|;&]*\|\s*(sudo\s+)?(ba|z|da)?sh`, line)
}

deny contains lib.hit("GLC-004", p, vars, "DOCKER_TLS_CERTDIR", "DOCKER_TLS_CERTDIR is empty") if {
	some [p, vars, name, value] in variables
	name == "DOCKER_TLS_CERTDIR"
	value == ""
}

includes(p) := i if {
	i := p.globals.include
	is_array(i)
} else := [p.globals.include]

deny contains lib.hit("GLC-005", p, p, "include", "a remote include is not pinned") if {
	some p in input.pipelines
	some inc in includes(p)
	is_object(inc)
	inc.remote
}

deny contains lib.hit("GLC-005", p, p, "include", concat(" ", ["project", inc.project, "is included without a ref"])) if {
	some p in input.pipelines
	some inc in includes(p)
	is_object(inc)
	inc.project
	not inc.ref
}
