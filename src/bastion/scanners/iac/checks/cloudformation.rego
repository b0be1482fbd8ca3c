# CloudFormation templates: the AWS checks that matter most, on AWS::* resource properties.
package bastion.checks.cloudformation.aws

import data.bastion.lib
import rego.v1

cis := "https://www.cisecurity.org/benchmark/amazon_web_services"

cfn_meta(title, severity, rationale, remediation) := {"title": title, "severity": severity, "rationale": rationale,
	"remediation": remediation, "references": [cis]}

metadata := {
	"CFN-001": cfn_meta("S3 bucket grants public access", "critical",
		"AccessControl PublicRead / PublicReadWrite lets anyone read or change objects.", "Remove AccessControl."),
	"CFN-002": cfn_meta("S3 bucket has no default encryption", "high",
		"Objects at rest are stored unencrypted.", "Add BucketEncryption."),
	"CFN-003": cfn_meta("Security group allows SSH or RDP from the internet", "critical",
		"Port 22 or 3389 open to 0.0.0.0/0 invites brute force.", "Restrict CidrIp."),
	"CFN-004": cfn_meta("Security group allows all traffic from the internet", "high",
		"IpProtocol -1 from 0.0.0.0/0 exposes every port.", "Open only the ports needed."),
	"CFN-005": cfn_meta("RDS storage is not encrypted", "high",
		"Database files and snapshots are stored in clear.", "Set StorageEncrypted: true."),
	"CFN-006": cfn_meta("RDS instance is publicly accessible", "critical",
		"The database endpoint is reachable from the internet.", "Set PubliclyAccessible: false."),
	"CFN-007": cfn_meta("IAM policy allows every action on every resource", "critical",
		"Action \"*\" on Resource \"*\" is administrator access.", "List the actions and resources needed."),
	"CFN-008": cfn_meta("EBS volume is not encrypted", "high",
		"The volume and its snapshots are stored in clear.", "Set Encrypted: true."),
	"CFN-009": cfn_meta("CloudTrail is not multi-region", "medium",
		"Activity in other regions goes unrecorded.", "Set IsMultiRegionTrail: true."),
}

deny contains lib.hit("CFN-001", r, r.config, "AccessControl", sprintf("%s is %s", [r.address, r.config.AccessControl])) if {
	some r in lib.resources("AWS::S3::Bucket")
	r.config.AccessControl in {"PublicRead", "PublicReadWrite", "AuthenticatedRead"}
}

deny contains lib.hit("CFN-002", r, r.config, "BucketEncryption", sprintf("%s has no default encryption", [r.address])) if {
	some r in lib.resources("AWS::S3::Bucket")
	not r.config.BucketEncryption
}

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
ingress := array.concat(
[[r, rule] |
	some r in lib.resources("AWS::EC2::SecurityGroup")
	some rule in object.get(r.config, "SecurityGroupIngress", [])
],
[[r, r.config] |
	some r in lib.resources("AWS::EC2::SecurityGroupIngress")
]
) if true


cfn_public(rule) if lib.public_cidr(rule.CidrIp)

cfn_public(rule) if lib.public_cidr(rule.CidrIpv6)

deny contains lib.hit("CFN-003", r, rule, "CidrIp", sprintf("%s allows port %d from the internet", [r.address, port])) if {
	some [r, rule] in ingress
	cfn_public(rule)
	some port in [22, 3389]
	to_number(rule.FromPort) <= port
	port <= to_number(rule.ToPort)
}

deny contains lib.hit("CFN-004", r, rule, "IpProtocol", sprintf("%s allows all traffic from the internet", [r.address])) if {
	some [r, rule] in ingress
	cfn_public(rule)
	sprintf("%v", [rule.IpProtocol]) == "-1"
}

deny contains lib.hit("CFN-005", r, r.config, "StorageEncrypted", sprintf("%s is not encrypted", [r.address])) if {
	some r_type in {"AWS::RDS::DBInstance", "AWS::RDS::DBCluster"}
	some r in lib.resources(r_type)
	not r.config.StorageEncrypted == true
	not r.config.SourceDBInstanceIdentifier
}

deny contains lib.hit("CFN-006", r, r.config, "PubliclyAccessible", sprintf("%s is public", [r.address])) if {
	some r in lib.resources("AWS::RDS::DBInstance")
	r.config.PubliclyAccessible == true
}

cfn_list(x) := x if is_array(x)

cfn_list(x) := [x] if not is_array(x)

# A list, not a set: sets of resources cost regopy a deep comparison per insert.
policies := array.concat(
[[r, doc] |
	some r_type in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}
	some r in lib.resources(r_type)
	doc := r.config.PolicyDocument
],
[[r, p.PolicyDocument] |
	some r_type in {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}
	some r in lib.resources(r_type)
	some p in object.get(r.config, "Policies", [])
]
) if true


deny contains lib.hit("CFN-007", r, r.config, "PolicyDocument", sprintf("%s allows * on *", [r.address])) if {
	some [r, doc] in policies
	some s in cfn_list(doc.Statement)
	object.get(s, "Effect", "Allow") == "Allow"
	"*" in cfn_list(object.get(s, "Action", []))
	"*" in cfn_list(object.get(s, "Resource", []))
}

deny contains lib.hit("CFN-008", r, r.config, "Encrypted", sprintf("%s is not encrypted", [r.address])) if {
	some r in lib.resources("AWS::EC2::Volume")
	not r.config.Encrypted == true
}

deny contains lib.hit("CFN-009", r, r.config, "IsMultiRegionTrail", sprintf("%s covers one region", [r.address])) if {
	some r in lib.resources("AWS::CloudTrail::Trail")
	not r.config.IsMultiRegionTrail == true
}
