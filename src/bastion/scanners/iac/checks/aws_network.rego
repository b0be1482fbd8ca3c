# AWS networking and compute on Terraform: security groups, instances, load balancers, EKS, VPC flow logs.
package bastion.checks.terraform.aws_network

import data.bastion.lib
import rego.v1

cis := "https://www.cisecurity.org/benchmark/amazon_web_services"

metadata := {
	"AWS-020": {"title": "Security group allows SSH from the internet", "severity": "critical",
		"rationale": "Port 22 open to 0.0.0.0/0 invites brute force and exploitation of sshd.",
		"remediation": "Restrict cidr_blocks to known ranges or use SSM Session Manager.",
		"references": [cis, "CIS AWS 5.2"]},
	"AWS-021": {"title": "Security group allows RDP from the internet", "severity": "critical",
		"rationale": "Port 3389 open to 0.0.0.0/0 is a common ransomware entry point.",
		"remediation": "Restrict cidr_blocks to known ranges or use a bastion host.",
		"references": [cis, "CIS AWS 5.2"]},
	"AWS-022": {"title": "Security group allows all ports from the internet", "severity": "high",
		"rationale": "Every service on the instance is exposed, including ones never meant to be public.",
		"remediation": "Open only the ports the service needs, to the sources that need them.",
		"references": [cis, "CIS AWS 5.2"]},
	"AWS-023": {"title": "Security group rule has no description", "severity": "low",
		"rationale": "Undocumented rules are not reviewed and outlive their purpose.",
		"remediation": "Add a description to every ingress and egress rule.", "references": [cis]},
	"AWS-024": {"title": "Security group allows all egress to the internet", "severity": "low",
		"rationale": "Unrestricted egress eases data exfiltration and command-and-control.",
		"remediation": "Restrict egress to the destinations the workload needs.", "references": [cis]},
	"AWS-025": {"title": "EC2 instance allows IMDSv1", "severity": "high",
		"rationale": "IMDSv1 answers unauthenticated requests, so SSRF can steal instance credentials.",
		"remediation": "Add metadata_options { http_tokens = \"required\" }.",
		"references": [cis, "CIS AWS 5.6"]},
	"AWS-026": {"title": "EC2 instance gets a public IP address", "severity": "medium",
		"rationale": "A public address puts the instance directly on the internet.",
		"remediation": "Set associate_public_ip_address = false and use a load balancer or NAT.",
		"references": [cis]},
	"AWS-027": {"title": "EC2 root block device is not encrypted", "severity": "high",
		"rationale": "The root volume and its snapshots are stored in clear.",
		"remediation": "Add root_block_device { encrypted = true }.", "references": [cis, "CIS AWS 2.2.1"]},
	"AWS-028": {"title": "Load balancer listener uses plain HTTP", "severity": "high",
		"rationale": "Traffic, cookies and credentials cross the network unencrypted.",
		"remediation": "Use protocol HTTPS with a certificate, or redirect HTTP to HTTPS.", "references": [cis]},
	"AWS-029": {"title": "Application load balancer keeps invalid header fields", "severity": "medium",
		"rationale": "Passing malformed headers to targets enables HTTP request smuggling.",
		"remediation": "Set drop_invalid_header_fields = true.", "references": [cis]},
	"AWS-030": {"title": "EKS API endpoint is open to the internet", "severity": "high",
		"rationale": "A public control plane without CIDR restrictions is reachable by anyone.",
		"remediation": "Set endpoint_public_access = false or restrict public_access_cidrs.",
		"references": ["https://www.cisecurity.org/benchmark/kubernetes", "CIS EKS 5.4.2"]},
	"AWS-031": {"title": "EKS control plane logging is disabled", "severity": "medium",
		"rationale": "Without audit and API logs, cluster activity cannot be investigated.",
		"remediation": "Set enabled_cluster_log_types to include api, audit and authenticator.",
		"references": ["CIS EKS 2.1.1"]},
	"AWS-032": {"title": "VPC has no flow logs", "severity": "medium",
		"rationale": "Flow logs are the record of network traffic needed to detect and investigate attacks.",
		"remediation": "Add an aws_flow_log for the VPC.", "references": [cis, "CIS AWS 3.9"]},
	"AWS-033": {"title": "Subnet assigns public IPs on launch", "severity": "low",
		"rationale": "Every instance launched there is reachable from the internet by default.",
		"remediation": "Set map_public_ip_on_launch = false.", "references": [cis]},
}

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
ingress_rules := array.concat(array.concat(
[[r, rule] |
	some r in lib.resources("aws_security_group")
	some rule in lib.blocks(r.config, "ingress")
],
[[r, r.config] |
	some r in lib.resources("aws_security_group_rule")
	r.config.type == "ingress"
]
), [[r, r.config] |
	some r in lib.resources("aws_vpc_security_group_ingress_rule")
])



public(rule) if {
	some cidr in array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", []))
	lib.public_cidr(cidr)
}

public(rule) if lib.public_cidr(rule.cidr_ipv4)

public(rule) if lib.public_cidr(rule.cidr_ipv6)

all_ports(rule) if object.get(rule, "protocol", object.get(rule, "ip_protocol", "")) in {"-1", -1, "all"}

all_ports(rule) if {
	rule.from_port == 0
	rule.to_port == 65535
}

covers(rule, port) if {
	not all_ports(rule)
	is_number(rule.from_port)
	is_number(rule.to_port)
	rule.from_port <= port
	port <= rule.to_port
}

deny contains lib.hit("AWS-020", r, rule, "cidr_blocks", sprintf("%s allows SSH from the internet", [r.address])) if {
	some [r, rule] in ingress_rules
	public(rule)
	covers(rule, 22)
}

deny contains lib.hit("AWS-021", r, rule, "cidr_blocks", sprintf("%s allows RDP from the internet", [r.address])) if {
	some [r, rule] in ingress_rules
	public(rule)
	covers(rule, 3389)
}

deny contains lib.hit("AWS-022", r, rule, "protocol", sprintf("%s allows all ports from the internet", [r.address])) if {
	some [r, rule] in ingress_rules
	public(rule)
	all_ports(rule)
}

deny contains lib.hit("AWS-023", r, rule, "description", sprintf("%s has a rule without description", [r.address])) if {
	some r in lib.resources("aws_security_group")
	some kind in ["ingress", "egress"]
	some rule in lib.blocks(r.config, kind)
	not rule.description
}

deny contains lib.hit("AWS-024", r, rule, "cidr_blocks", sprintf("%s allows all egress to the internet", [r.address])) if {
	some r in lib.resources("aws_security_group")
	some rule in lib.blocks(r.config, "egress")
	public(rule)
	all_ports(rule)
}

deny contains lib.hit("AWS-025", r, r.config, "metadata_options", sprintf("%s does not require IMDSv2 tokens", [r.address])) if {
	some r_type in {"aws_instance", "aws_launch_template"}
	some r in lib.resources(r_type)
	not imdsv2(r)
}

imdsv2(r) if {
	some m in lib.blocks(r.config, "metadata_options")
	m.http_tokens != "optional"
	m.http_tokens
}

imdsv2(r) if {
	some m in lib.blocks(r.config, "metadata_options")
	m.http_endpoint == "disabled"
}

deny contains lib.hit("AWS-026", r, r.config, "associate_public_ip_address", sprintf("%s has a public IP", [r.address])) if {
	some r in lib.resources("aws_instance")
	r.config.associate_public_ip_address == true
}

deny contains lib.hit("AWS-027", r, r.config, "root_block_device", sprintf("%s root volume is not encrypted", [r.address])) if {
	some r in lib.resources("aws_instance")
	not root_encrypted(r)
}

root_encrypted(r) if {
	some d in lib.blocks(r.config, "root_block_device")
	d.encrypted != false
	d.encrypted
}

deny contains lib.hit("AWS-028", r, r.config, "protocol", sprintf("%s listens on plain HTTP", [r.address])) if {
	some r_type in {"aws_lb_listener", "aws_alb_listener"}
	some r in lib.resources(r_type)
	object.get(r.config, "protocol", "HTTP") == "HTTP"
	not redirects(r)
}

redirects(r) if {
	some action in lib.blocks(r.config, "default_action")
	action.type == "redirect"
}

deny contains lib.hit("AWS-029", r, r.config, "drop_invalid_header_fields", sprintf("%s forwards invalid headers", [r.address])) if {
	some r_type in {"aws_lb", "aws_alb"}
	some r in lib.resources(r_type)
	object.get(r.config, "load_balancer_type", "application") == "application"
	not r.config.drop_invalid_header_fields == true
	not lib.unknown(object.get(r.config, "drop_invalid_header_fields", false))
}

deny contains lib.hit("AWS-030", r, vpc, "endpoint_public_access", sprintf("%s API endpoint is public", [r.address])) if {
	some r in lib.resources("aws_eks_cluster")
	some vpc in lib.blocks(r.config, "vpc_config")
	object.get(vpc, "endpoint_public_access", true) == true
	open_cidrs(vpc)
}

open_cidrs(vpc) if not vpc.public_access_cidrs

open_cidrs(vpc) if {
	some cidr in vpc.public_access_cidrs
	lib.public_cidr(cidr)
}

deny contains lib.hit("AWS-031", r, r.config, "enabled_cluster_log_types", sprintf("%s does not log its control plane", [r.address])) if {
	some r in lib.resources("aws_eks_cluster")
	not r.config.enabled_cluster_log_types
}

deny contains lib.hit("AWS-032", r, r.config, "cidr_block", sprintf("%s has no flow log", [r.address])) if {
	some r in lib.resources("aws_vpc")
	not has_flow_log(r)
}

has_flow_log(r) if {
	some f in lib.resources("aws_flow_log")
	contains(f.config.vpc_id, sprintf("aws_vpc.%s.", [r.name]))
}

deny contains lib.hit("AWS-033", r, r.config, "map_public_ip_on_launch", sprintf("%s maps public IPs on launch", [r.address])) if {
	some r in lib.resources("aws_subnet")
	r.config.map_public_ip_on_launch == true
}
