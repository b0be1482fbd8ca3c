# Kubernetes workloads and RBAC: Pod Security Standards (baseline and restricted), NSA/CISA hardening guide.
package bastion.checks.kubernetes.workloads

import data.bastion.lib
import rego.v1

pss := "https://kubernetes.io/docs/concepts/security/pod-security-standards/"

nsa := "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF"

k8s_meta(title, severity, rationale, remediation, refs) := {
	"title": title, "severity": severity, "rationale": rationale,
	"remediation": remediation, "references": refs,
}

metadata := {
	"K8S-001": k8s_meta("Container runs privileged", "critical",
		"A privileged container has every capability and the host's devices: it is root on the node.",
		"Remove securityContext.privileged or set it to false.", [pss, nsa]),
	"K8S-002": k8s_meta("Container allows privilege escalation", "medium",
		"setuid binaries can gain more privileges than the process started with.",
		"Set securityContext.allowPrivilegeEscalation: false.", [pss, nsa]),
	"K8S-003": k8s_meta("Container may run as root", "medium",
		"Without runAsNonRoot the image's default user, often root, is used.",
		"Set securityContext.runAsNonRoot: true (pod or container).", [pss, nsa]),
	"K8S-004": k8s_meta("Container runs as UID 0", "high",
		"runAsUser: 0 is root inside the container.", "Run as a non-zero UID.", [pss, nsa]),
	"K8S-005": k8s_meta("Pod uses the host network", "high",
		"hostNetwork exposes node interfaces and lets the pod sniff or bind host ports.",
		"Remove hostNetwork: true.", [pss, nsa]),
	"K8S-006": k8s_meta("Pod shares the host PID namespace", "high",
		"hostPID lets the pod see and signal every process on the node.", "Remove hostPID: true.", [pss, nsa]),
	"K8S-007": k8s_meta("Pod shares the host IPC namespace", "high",
		"hostIPC lets the pod read shared memory of host processes.", "Remove hostIPC: true.", [pss, nsa]),
	"K8S-008": k8s_meta("Pod mounts a hostPath volume", "high",
		"hostPath gives access to the node's file system, a common container escape.",
		"Use persistent volumes, configMaps or emptyDir instead.", [pss, nsa]),
	"K8S-009": k8s_meta("Container adds dangerous capabilities", "high",
		"Capabilities such as SYS_ADMIN, NET_ADMIN or ALL break container isolation.",
		"Remove them from securityContext.capabilities.add.", [pss, nsa]),
	"K8S-010": k8s_meta("Container does not drop all capabilities", "low",
		"The default capability set includes NET_RAW and others most workloads never use.",
		"Set securityContext.capabilities.drop: [\"ALL\"] and add back only what is needed.", [pss]),
	"K8S-011": k8s_meta("Container root file system is writable", "low",
		"A writable root file system lets an attacker drop tools and persist.",
		"Set securityContext.readOnlyRootFilesystem: true.", [nsa]),
	"K8S-012": k8s_meta("Container has no CPU limit", "low",
		"One container can starve the node's other workloads.", "Set resources.limits.cpu.", [nsa]),
	"K8S-013": k8s_meta("Container has no memory limit", "medium",
		"A leak or attack can exhaust node memory and evict other pods.", "Set resources.limits.memory.", [nsa]),
	"K8S-014": k8s_meta("Container image uses the latest tag or no tag", "medium",
		"The image that runs can change without a change to the manifest.",
		"Pin the image to a version tag or, better, a digest.", [nsa]),
	"K8S-015": k8s_meta("Container has a secret in a plain environment variable", "high",
		"Values in the manifest end up in version control and in kubectl describe.",
		"Use valueFrom.secretKeyRef.", [nsa]),
	"K8S-016": k8s_meta("Container binds a host port", "medium",
		"hostPort ties the pod to the node's interface and bypasses network policy.",
		"Expose the port with a Service instead.", [pss]),
	"K8S-017": k8s_meta("Pod has no seccomp profile", "low",
		"Without RuntimeDefault every system call is allowed.",
		"Set securityContext.seccompProfile.type: RuntimeDefault.", [pss, nsa]),
	"K8S-018": k8s_meta("Service account token is mounted automatically", "low",
		"A stolen token gives an attacker the pod's API permissions.",
		"Set automountServiceAccountToken: false unless the pod calls the API.", [nsa]),
	"K8S-019": k8s_meta("Workload runs in the default namespace", "low",
		"The default namespace mixes workloads and their policies.", "Set metadata.namespace.", [nsa]),
	"K8S-020": k8s_meta("Container has no liveness probe", "info",
		"Hung containers are not restarted.", "Add a livenessProbe.", [nsa]),
	"K8S-021": k8s_meta("Container has no readiness probe", "info",
		"Traffic reaches containers that are not ready.", "Add a readinessProbe.", [nsa]),
	"K8S-022": k8s_meta("Role grants wildcard permissions", "high",
		"\"*\" in verbs or resources grants every present and future permission.",
		"List the verbs and resources needed.", [nsa]),
	"K8S-023": k8s_meta("Binding grants cluster-admin", "high",
		"cluster-admin can do anything in the cluster.", "Bind a narrower role.", [nsa]),
	"K8S-024": k8s_meta("Pod mounts the container runtime socket", "critical",
		"Access to docker.sock or containerd.sock is root on the node.",
		"Do not mount the runtime socket.", [nsa]),
	"K8S-025": k8s_meta("Container uses an unmasked /proc", "high",
		"procMount: Unmasked exposes host information and kernel interfaces.",
		"Remove procMount or set it to Default.", [pss]),
	"K8S-026": k8s_meta("Container has no memory request", "low",
		"Without requests the scheduler cannot place the pod safely.", "Set resources.requests.memory.", [nsa]),
}

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

pod_spec(obj) := obj.spec if obj.kind == "Pod"

pod_spec(obj) := obj.spec.template.spec if obj.kind in workload_kinds

pod_spec(obj) := obj.spec.jobTemplate.spec.template.spec if obj.kind == "CronJob"

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
pods := [[obj, spec] |
	some obj in input.objects
	spec := pod_spec(obj)
]

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
containers := [[obj, spec, c] |
	some [obj, spec] in pods
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some c in object.get(spec, field, [])
]

name(obj) := sprintf("%s/%s", [obj.kind, object.get(obj.metadata, "name", "?")])

# concat, not sprintf: rego-cpp 1.5 quotes string literals passed as function arguments inside sprintf.
msg(obj, c, text) := concat(" ", [name(obj), "container", object.get(c, "name", "?"), text])

sc(c) := object.get(c, "securityContext", {})

deny contains lib.hit("K8S-001", obj, sc(c), "privileged", msg(obj, c, "is privileged")) if {
	some [obj, _, c] in containers
	sc(c).privileged == true
}

deny contains lib.hit("K8S-002", obj, c, "securityContext", msg(obj, c, "allows privilege escalation")) if {
	some [obj, _, c] in containers
	not sc(c).allowPrivilegeEscalation == false
	not sc(c).privileged == true
}

deny contains lib.hit("K8S-003", obj, c, "securityContext", msg(obj, c, "may run as root")) if {
	some [obj, spec, c] in containers
	not sc(c).runAsNonRoot == true
	not object.get(spec, "securityContext", {}).runAsNonRoot == true
	not sc(c).runAsUser > 0
}

deny contains lib.hit("K8S-004", obj, sc(c), "runAsUser", msg(obj, c, "runs as UID 0")) if {
	some [obj, _, c] in containers
	sc(c).runAsUser == 0
}

deny contains lib.hit("K8S-004", obj, spec.securityContext, "runAsUser", sprintf("%s runs as UID 0", [name(obj)])) if {
	some [obj, spec] in pods
	spec.securityContext.runAsUser == 0
}

deny contains lib.hit(id, obj, spec, key, sprintf("%s sets %s", [name(obj), key])) if {
	some [obj, spec] in pods
	some key, id in {"hostNetwork": "K8S-005", "hostPID": "K8S-006", "hostIPC": "K8S-007"}
	spec[key] == true
}

deny contains lib.hit("K8S-008", obj, v, "hostPath", sprintf("%s mounts hostPath %s", [name(obj), v.hostPath.path])) if {
	some [obj, spec] in pods
	some v in object.get(spec, "volumes", [])
	v.hostPath
}

dangerous_caps := {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "NET_RAW", "BPF"}

deny contains lib.hit("K8S-009", obj, sc(c), "capabilities", msg(obj, c, sprintf("adds %s", [cap]))) if {
	some [obj, _, c] in containers
	some cap in object.get(object.get(sc(c), "capabilities", {}), "add", [])
	upper(trim_prefix(cap, "CAP_")) in dangerous_caps
}

deny contains lib.hit("K8S-010", obj, c, "securityContext", msg(obj, c, "does not drop ALL capabilities")) if {
	some [obj, _, c] in containers
	not "ALL" in object.get(object.get(sc(c), "capabilities", {}), "drop", [])
}

deny contains lib.hit("K8S-011", obj, c, "securityContext", msg(obj, c, "has a writable root file system")) if {
	some [obj, _, c] in containers
	not sc(c).readOnlyRootFilesystem == true
}

limits(c) := object.get(object.get(c, "resources", {}), "limits", {})

deny contains lib.hit("K8S-012", obj, c, "resources", msg(obj, c, "has no CPU limit")) if {
	some [obj, _, c] in containers
	not limits(c).cpu
}

deny contains lib.hit("K8S-013", obj, c, "resources", msg(obj, c, "has no memory limit")) if {
	some [obj, _, c] in containers
	not limits(c).memory
}

deny contains lib.hit("K8S-014", obj, c, "image", msg(obj, c, sprintf("uses unpinned image %s", [c.image]))) if {
	some [obj, _, c] in containers
	lib.unpinned_image(c.image)
}

deny contains lib.hit("K8S-015", obj, e, "value", msg(obj, c, sprintf("sets %s in plain text", [e.name]))) if {
	some [obj, _, c] in containers
	some e in object.get(c, "env", [])
	lib.secret_name(e.name)
	lib.literal_secret(e.value)
}

deny contains lib.hit("K8S-016", obj, p, "hostPort", msg(obj, c, sprintf("binds host port %v", [p.hostPort]))) if {
	some [obj, _, c] in containers
	some p in object.get(c, "ports", [])
	p.hostPort > 0
}

seccomp(spec, c) if sc(c).seccompProfile.type in {"RuntimeDefault", "Localhost"}

seccomp(spec, c) if {
	spec.securityContext.seccompProfile.type in {"RuntimeDefault", "Localhost"}
	not sc(c).seccompProfile
}

deny contains lib.hit("K8S-017", obj, c, "securityContext", msg(obj, c, "has no seccomp profile")) if {
	some [obj, spec, c] in containers
	not seccomp(spec, c)
}

deny contains lib.hit("K8S-018", obj, spec, "automountServiceAccountToken", sprintf("%s mounts its service account token", [name(obj)])) if {
	some [obj, spec] in pods
	not spec.automountServiceAccountToken == false
}

deny contains lib.hit("K8S-019", obj, obj.metadata, "namespace", sprintf("%s runs in the default namespace", [name(obj)])) if {
	some [obj, _] in pods
	object.get(obj.metadata, "namespace", "default") == "default"
}

deny contains lib.hit(id, obj, c, "name", msg(obj, c, sprintf("has no %s", [probe]))) if {
	some [obj, spec, c] in containers
	some probe, id in {"livenessProbe": "K8S-020", "readinessProbe": "K8S-021"}
	c in object.get(spec, "containers", [])
	not c[probe]
}

deny contains lib.hit("K8S-022", obj, rule, "verbs", sprintf("%s grants * permissions", [name(obj)])) if {
	some obj in input.objects
	obj.kind in {"Role", "ClusterRole"}
	some rule in object.get(obj, "rules", [])
	some key in ["verbs", "resources", "apiGroups"]
	key != "apiGroups"
	"*" in object.get(rule, key, [])
}

deny contains lib.hit("K8S-023", obj, obj.roleRef, "name", sprintf("%s binds cluster-admin", [name(obj)])) if {
	some obj in input.objects
	obj.kind in {"RoleBinding", "ClusterRoleBinding"}
	obj.roleRef.name == "cluster-admin"
}

deny contains lib.hit("K8S-024", obj, v, "hostPath", sprintf("%s mounts %s", [name(obj), v.hostPath.path])) if {
	some [obj, spec] in pods
	some v in object.get(spec, "volumes", [])
	regex.match(`(docker|containerd|crio|cri-dockerd)\.sock$`, v.hostPath.path)
}

deny contains lib.hit("K8S-025", obj, sc(c), "procMount", msg(obj, c, "uses an unmasked /proc")) if {
	some [obj, _, c] in containers
	sc(c).procMount == "Unmasked"
}

deny contains lib.hit("K8S-026", obj, c, "resources", msg(obj, c, "has no memory request")) if {
	some [obj, _, c] in containers
	not object.get(object.get(c, "resources", {}), "requests", {}).memory
	not limits(c).memory
}
