# Google Cloud on Terraform (google provider): storage, firewall, compute, Cloud SQL, GKE, KMS.
package bastion.checks.terraform.gcp

import data.bastion.lib
import rego.v1

cis := "https://www.cisecurity.org/benchmark/google_cloud_computing_platform"

gcp_meta(title, severity, rationale, remediation) := {"title": title, "severity": severity, "rationale": rationale,
	"remediation": remediation, "references": [cis]}

metadata := {
	"GCP-001": gcp_meta("Bucket does not use uniform bucket-level access", "medium",
		"Per-object ACLs make access hard to review and easy to open by mistake.",
		"Set uniform_bucket_level_access = true."),
	"GCP-002": gcp_meta("Bucket is readable by allUsers or allAuthenticatedUsers", "critical",
		"Anyone on the internet (or any Google account) can read the objects.",
		"Remove allUsers / allAuthenticatedUsers members."),
	"GCP-003": gcp_meta("Firewall allows SSH from the internet", "critical",
		"Port 22 open to 0.0.0.0/0 invites brute force.", "Restrict source_ranges or use IAP."),
	"GCP-004": gcp_meta("Firewall allows RDP from the internet", "critical",
		"Port 3389 open to 0.0.0.0/0 is a common ransomware entry point.", "Restrict source_ranges or use IAP."),
	"GCP-005": gcp_meta("Compute instance has a public IP", "medium",
		"An access_config block gives the instance an external address.", "Remove access_config; use Cloud NAT."),
	"GCP-006": gcp_meta("Cloud SQL instance is open to the internet", "critical",
		"An authorized network of 0.0.0.0/0 lets anyone reach the database.", "Allow only known ranges."),
	"GCP-007": gcp_meta("Cloud SQL does not require SSL", "high",
		"Connections can be made without encryption.", "Set ssl_mode = \"ENCRYPTED_ONLY\" (or require_ssl = true)."),
	"GCP-008": gcp_meta("GKE legacy ABAC is enabled", "high",
		"ABAC grants broad, hard-to-audit permissions.", "Set enable_legacy_abac = false."),
	"GCP-009": gcp_meta("GKE nodes are not private", "medium",
		"Nodes with public addresses are reachable from the internet.",
		"Add private_cluster_config { enable_private_nodes = true }."),
	"GCP-010": gcp_meta("KMS key is not rotated", "medium",
		"Keys without rotation_period are never rotated.", "Set rotation_period (90 days or less)."),
	"GCP-011": gcp_meta("Compute instance serial port is enabled", "medium",
		"The interactive serial console accepts connections from any IP.",
		"Remove serial-port-enable from metadata."),
	"GCP-012": gcp_meta("Compute instance allows project-wide SSH keys", "medium",
		"Any project-wide key opens every instance.", "Set metadata block-project-ssh-keys = true."),
}

deny contains lib.hit("GCP-001", r, r.config, "uniform_bucket_level_access", sprintf("%s uses object ACLs", [r.address])) if {
	some r in lib.resources("google_storage_bucket")
	not r.config.uniform_bucket_level_access == true
	not lib.unknown(object.get(r.config, "uniform_bucket_level_access", false))
}

public_members := {"allUsers", "allAuthenticatedUsers"}

deny contains lib.hit("GCP-002", r, r.config, "member", sprintf("%s grants %s", [r.address, r.config.member])) if {
	some r_type in {"google_storage_bucket_iam_member", "google_storage_bucket_iam_binding", "google_storage_bucket_access_control"}
	some r in lib.resources(r_type)
	some m in array.concat([object.get(r.config, "member", ""), object.get(r.config, "entity", "")], object.get(r.config, "members", []))
	some p in public_members
	contains(m, p)
}

firewall_port(r, port) if {
	some allow in lib.blocks(r.config, "allow")
	some range in object.get(allow, "ports", [])
	gcp_port_in(range, port)
}

firewall_port(r, port) if {
	some allow in lib.blocks(r.config, "allow")
	allow.protocol == "all"
}

gcp_port_in(range, port) if range == sprintf("%d", [port])

gcp_port_in(range, port) if {
	parts := split(range, "-")
	count(parts) == 2
	to_number(parts[0]) <= port
	port <= to_number(parts[1])
}

deny contains lib.hit(id, r, r.config, "source_ranges", sprintf("%s allows port %d from the internet", [r.address, port])) if {
	some r in lib.resources("google_compute_firewall")
	object.get(r.config, "direction", "INGRESS") == "INGRESS"
	some cidr in object.get(r.config, "source_ranges", [])
	lib.public_cidr(cidr)
	some port, id in {22: "GCP-003", 3389: "GCP-004"}
	firewall_port(r, port)
}

deny contains lib.hit("GCP-005", r, iface, "access_config", sprintf("%s has a public IP", [r.address])) if {
	some r_type in {"google_compute_instance", "google_compute_instance_template"}
	some r in lib.resources(r_type)
	some iface in lib.blocks(r.config, "network_interface")
	count(lib.blocks(iface, "access_config")) > 0
}

sql_ip(r) := ip if {
	some settings in lib.blocks(r.config, "settings")
	some ip in lib.blocks(settings, "ip_configuration")
}

deny contains lib.hit("GCP-006", r, net, "value", sprintf("%s is open to the internet", [r.address])) if {
	some r in lib.resources("google_sql_database_instance")
	some net in lib.blocks(sql_ip(r), "authorized_networks")
	lib.public_cidr(net.value)
}

deny contains lib.hit("GCP-007", r, r.config, "settings", sprintf("%s does not require SSL", [r.address])) if {
	some r in lib.resources("google_sql_database_instance")
	ip := sql_ip(r)
	not ip.require_ssl == true
	not ip.ssl_mode in {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}
}

deny contains lib.hit("GCP-007", r, r.config, "settings", sprintf("%s does not require SSL", [r.address])) if {
	some r in lib.resources("google_sql_database_instance")
	not sql_ip(r)
}

deny contains lib.hit("GCP-008", r, r.config, "enable_legacy_abac", sprintf("%s enables legacy ABAC", [r.address])) if {
	some r in lib.resources("google_container_cluster")
	r.config.enable_legacy_abac == true
}

deny contains lib.hit("GCP-009", r, r.config, "private_cluster_config", sprintf("%s has public nodes", [r.address])) if {
	some r in lib.resources("google_container_cluster")
	not private_nodes(r)
}

private_nodes(r) if {
	some p in lib.blocks(r.config, "private_cluster_config")
	p.enable_private_nodes != false
}

deny contains lib.hit("GCP-010", r, r.config, "rotation_period", sprintf("%s is never rotated", [r.address])) if {
	some r in lib.resources("google_kms_crypto_key")
	not r.config.rotation_period
}

deny contains lib.hit("GCP-011", r, r.config, "metadata", sprintf("%s enables the serial port", [r.address])) if {
	some r in lib.resources("google_compute_instance")
	lower(sprintf("%v", [object.get(object.get(r.config, "metadata", {}), "serial-port-enable", false)])) in {"true", "1"}
}

deny contains lib.hit("GCP-012", r, r.config, "metadata", sprintf("%s accepts project-wide SSH keys", [r.address])) if {
	some r in lib.resources("google_compute_instance")
	not lower(sprintf("%v", [object.get(object.get(r.config, "metadata", {}), "block-project-ssh-keys", false)])) in {"true", "1"}
}
