# Azure on Terraform (azurerm): storage, network security groups, SQL, Key Vault, AKS, App Service.
package bastion.checks.terraform.azure

import data.bastion.lib
import rego.v1

cis := "https://www.cisecurity.org/benchmark/azure"

az_meta(title, severity, rationale, remediation) := {"title": title, "severity": severity, "rationale": rationale,
	"remediation": remediation, "references": [cis]}

metadata := {
	"AZU-001": az_meta("Storage account allows plain HTTP", "high",
		"Data and shared keys cross the network unencrypted.", "Set https_traffic_only_enabled = true."),
	"AZU-002": az_meta("Storage account accepts TLS older than 1.2", "medium",
		"TLS 1.0 and 1.1 have known weaknesses.", "Set min_tls_version = \"TLS1_2\"."),
	"AZU-003": az_meta("Storage account allows public blob access", "high",
		"Containers can be made readable by anyone on the internet.",
		"Set allow_nested_items_to_be_public = false."),
	"AZU-004": az_meta("Storage account network access is open", "medium",
		"The default action Allow accepts connections from every network.",
		"Add network_rules { default_action = \"Deny\" } with the allowed networks."),
	"AZU-005": az_meta("Network security group allows SSH from the internet", "critical",
		"Port 22 open to * or Internet invites brute force.", "Restrict source_address_prefix."),
	"AZU-006": az_meta("Network security group allows RDP from the internet", "critical",
		"Port 3389 open to * or Internet is a common ransomware entry point.", "Restrict source_address_prefix."),
	"AZU-007": az_meta("SQL server allows public network access", "high",
		"The database server is reachable from the internet.", "Set public_network_access_enabled = false."),
	"AZU-008": az_meta("SQL firewall rule allows every address", "critical",
		"0.0.0.0 to 255.255.255.255 opens the server to the whole internet.", "Allow only known ranges."),
	"AZU-009": az_meta("Key Vault purge protection is disabled", "medium",
		"A deleted vault and its keys can be purged at once, with no recovery.",
		"Set purge_protection_enabled = true."),
	"AZU-010": az_meta("AKS cluster has Kubernetes RBAC disabled", "high",
		"Without RBAC every authenticated user has full access.", "Set role_based_access_control_enabled = true."),
	"AZU-011": az_meta("App Service allows plain HTTP", "medium",
		"Traffic to the app can be read and changed in transit.", "Set https_only = true."),
	"AZU-012": az_meta("Managed disk is not encrypted with a customer key", "low",
		"Platform keys cannot be revoked by you.", "Set disk_encryption_set_id."),
}

storage := lib.resources("azurerm_storage_account")

deny contains lib.hit("AZU-001", r, r.config, "https_traffic_only_enabled", sprintf("%s allows HTTP", [r.address])) if {
	some r in storage
	some key in ["https_traffic_only_enabled", "enable_https_traffic_only"]
	r.config[key] == false
}

deny contains lib.hit("AZU-002", r, r.config, "min_tls_version", sprintf("%s accepts %s", [r.address, r.config.min_tls_version])) if {
	some r in storage
	r.config.min_tls_version in {"TLS1_0", "TLS1_1"}
}

deny contains lib.hit("AZU-003", r, r.config, key, sprintf("%s allows public blobs", [r.address])) if {
	some r in storage
	some key in ["allow_nested_items_to_be_public", "allow_blob_public_access"]
	r.config[key] == true
}

deny contains lib.hit("AZU-004", r, r.config, "network_rules", sprintf("%s accepts every network", [r.address])) if {
	some r in storage
	not denies_by_default(r)
}

denies_by_default(r) if {
	some rules in lib.blocks(r.config, "network_rules")
	rules.default_action == "Deny"
}

denies_by_default(r) if r.config.public_network_access_enabled == false

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
nsg_rules := array.concat(
[[r, rule] |
	some r in lib.resources("azurerm_network_security_group")
	some rule in lib.blocks(r.config, "security_rule")
],
[[r, r.config] |
	some r in lib.resources("azurerm_network_security_rule")
]
) if true


open_port(rule, port) if {
	lower(object.get(rule, "direction", "")) == "inbound"
	lower(object.get(rule, "access", "")) == "allow"
	lib.public_cidr(rule.source_address_prefix)
	az_port_in(rule.destination_port_range, port)
}

az_port_in(range, port) if range == "*"

az_port_in(range, port) if range == sprintf("%d", [port])

az_port_in(range, port) if {
	parts := split(range, "-")
	count(parts) == 2
	to_number(parts[0]) <= port
	port <= to_number(parts[1])
}

deny contains lib.hit(id, r, rule, "destination_port_range", sprintf("%s allows port %d from the internet", [r.address, port])) if {
	some [r, rule] in nsg_rules
	some port, id in {22: "AZU-005", 3389: "AZU-006"}
	open_port(rule, port)
}

deny contains lib.hit("AZU-007", r, r.config, "public_network_access_enabled", sprintf("%s is public", [r.address])) if {
	some r_type in {"azurerm_mssql_server", "azurerm_sql_server", "azurerm_postgresql_server", "azurerm_mysql_server"}
	some r in lib.resources(r_type)
	object.get(r.config, "public_network_access_enabled", true) == true
}

deny contains lib.hit("AZU-008", r, r.config, "end_ip_address", sprintf("%s allows every address", [r.address])) if {
	some r_type in {"azurerm_mssql_firewall_rule", "azurerm_sql_firewall_rule", "azurerm_postgresql_firewall_rule"}
	some r in lib.resources(r_type)
	r.config.start_ip_address == "0.0.0.0"
	r.config.end_ip_address == "255.255.255.255"
}

deny contains lib.hit("AZU-009", r, r.config, "purge_protection_enabled", sprintf("%s can be purged", [r.address])) if {
	some r in lib.resources("azurerm_key_vault")
	not r.config.purge_protection_enabled == true
	not lib.unknown(object.get(r.config, "purge_protection_enabled", false))
}

deny contains lib.hit("AZU-010", r, r.config, "role_based_access_control_enabled", sprintf("%s has RBAC off", [r.address])) if {
	some r in lib.resources("azurerm_kubernetes_cluster")
	r.config.role_based_access_control_enabled == false
}

deny contains lib.hit("AZU-011", r, r.config, "https_only", sprintf("%s allows HTTP", [r.address])) if {
	some r_type in {"azurerm_app_service", "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_function_app"}
	some r in lib.resources(r_type)
	not r.config.https_only == true
	not lib.unknown(object.get(r.config, "https_only", false))
}

deny contains lib.hit("AZU-012", r, r.config, "disk_encryption_set_id", sprintf("%s uses platform keys", [r.address])) if {
	some r in lib.resources("azurerm_managed_disk")
	not r.config.disk_encryption_set_id
	not r.config.secure_vm_disk_encryption_set_id
}
