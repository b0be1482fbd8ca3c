# AWS identity, keys and logging on Terraform: IAM policies, KMS, CloudTrail, CloudWatch, Lambda.
package bastion.checks.terraform.aws_iam

import data.bastion.lib
import rego.v1

cis := "https://www.cisecurity.org/benchmark/amazon_web_services"

metadata := {
	"AWS-040": {"title": "IAM policy allows every action on every resource", "severity": "critical",
		"rationale": "Action \"*\" on Resource \"*\" is full administrator access; least privilege is lost.",
		"remediation": "List the actions and resources the principal needs.",
		"references": [cis, "CIS AWS 1.16"]},
	"AWS-041": {"title": "IAM policy allows a service wildcard action", "severity": "medium",
		"rationale": "\"service:*\" grants every present and future action of a service.",
		"remediation": "List the actions needed instead of a wildcard.", "references": [cis]},
	"AWS-042": {"title": "IAM policy attached directly to a user", "severity": "low",
		"rationale": "Permissions on users instead of groups or roles are hard to review and revoke.",
		"remediation": "Attach policies to groups or roles.", "references": [cis, "CIS AWS 1.15"]},
	"AWS-043": {"title": "IAM password policy is weak", "severity": "medium",
		"rationale": "Short passwords are guessed; CIS asks for at least 14 characters.",
		"remediation": "Set minimum_password_length = 14 or more.", "references": [cis, "CIS AWS 1.8"]},
	"AWS-044": {"title": "CloudTrail is not multi-region", "severity": "medium",
		"rationale": "Activity in other regions goes unrecorded.",
		"remediation": "Set is_multi_region_trail = true.", "references": [cis, "CIS AWS 3.1"]},
	"AWS-045": {"title": "CloudTrail log file validation is disabled", "severity": "medium",
		"rationale": "Tampered or deleted log files cannot be detected.",
		"remediation": "Set enable_log_file_validation = true.", "references": [cis, "CIS AWS 3.2"]},
	"AWS-046": {"title": "CloudTrail logs are not encrypted with KMS", "severity": "medium",
		"rationale": "Trails encrypted with a customer key restrict who can read the audit record.",
		"remediation": "Set kms_key_id.", "references": [cis, "CIS AWS 3.7"]},
	"AWS-047": {"title": "KMS key rotation is disabled", "severity": "medium",
		"rationale": "Rotation limits how much data one compromised key version protects.",
		"remediation": "Set enable_key_rotation = true.", "references": [cis, "CIS AWS 3.8"]},
	"AWS-048": {"title": "CloudWatch log group is not encrypted", "severity": "low",
		"rationale": "Logs often carry sensitive data; a customer key restricts who reads them.",
		"remediation": "Set kms_key_id.", "references": [cis]},
	"AWS-049": {"title": "Lambda function has secrets in its environment", "severity": "high",
		"rationale": "Environment variables are visible to anyone who can read the function configuration.",
		"remediation": "Read secrets from Secrets Manager or SSM Parameter Store at run time.",
		"references": ["https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html"]},
	"AWS-050": {"title": "IAM role can be assumed by any principal", "severity": "critical",
		"rationale": "A trust policy with Principal \"*\" lets any AWS account assume the role.",
		"remediation": "Name the accounts or services that may assume the role, and add conditions.",
		"references": [cis]},
}

policy_types := {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}

as_list(x) := x if is_array(x)

as_list(x) := [x] if not is_array(x)

# Statements from policy JSON strings and from aws_iam_policy_document data sources.
# A list, not a set: sets of resources cost regopy a deep comparison per insert.
statements := array.concat(
[[r, r.config, s] |
	some r_type in policy_types
	some r in lib.resources(r_type)
	is_string(r.config.policy)
	json.is_valid(r.config.policy)
	doc := json.unmarshal(r.config.policy)
	some s in as_list(doc.Statement)
	object.get(s, "Effect", "Allow") == "Allow"
],
[[r, block, s] |
	some r in lib.resources("aws_iam_policy_document")
	some block in lib.blocks(r.config, "statement")
	object.get(block, "effect", "Allow") == "Allow"
	s := {"Action": object.get(block, "actions", []), "Resource": object.get(block, "resources", [])}
]
) if true


deny contains lib.hit("AWS-040", r, node, "policy", sprintf("%s allows * on *", [r.address])) if {
	some [r, node, s] in statements
	"*" in as_list(object.get(s, "Action", []))
	"*" in as_list(object.get(s, "Resource", []))
}

deny contains lib.hit("AWS-041", r, node, "policy", sprintf("%s allows %s", [r.address, action])) if {
	some [r, node, s] in statements
	some action in as_list(object.get(s, "Action", []))
	is_string(action)
	endswith(action, ":*")
}

deny contains lib.hit("AWS-042", r, r.config, "user", sprintf("%s attaches a policy to a user", [r.address])) if {
	some r_type in {"aws_iam_user_policy", "aws_iam_user_policy_attachment", "aws_iam_policy_attachment"}
	some r in lib.resources(r_type)
	r.config.user
}

deny contains lib.hit("AWS-042", r, r.config, "users", sprintf("%s attaches a policy to users", [r.address])) if {
	some r in lib.resources("aws_iam_policy_attachment")
	count(object.get(r.config, "users", [])) > 0
}

deny contains lib.hit("AWS-043", r, r.config, "minimum_password_length", sprintf("%s allows short passwords", [r.address])) if {
	some r in lib.resources("aws_iam_account_password_policy")
	object.get(r.config, "minimum_password_length", 6) < 14
}

deny contains lib.hit("AWS-044", r, r.config, "is_multi_region_trail", sprintf("%s covers one region", [r.address])) if {
	some r in lib.resources("aws_cloudtrail")
	not r.config.is_multi_region_trail == true
	not lib.unknown(object.get(r.config, "is_multi_region_trail", false))
}

deny contains lib.hit("AWS-045", r, r.config, "enable_log_file_validation", sprintf("%s does not validate log files", [r.address])) if {
	some r in lib.resources("aws_cloudtrail")
	not r.config.enable_log_file_validation == true
	not lib.unknown(object.get(r.config, "enable_log_file_validation", false))
}

deny contains lib.hit("AWS-046", r, r.config, "kms_key_id", sprintf("%s is not encrypted with KMS", [r.address])) if {
	some r in lib.resources("aws_cloudtrail")
	not r.config.kms_key_id
}

deny contains lib.hit("AWS-047", r, r.config, "enable_key_rotation", sprintf("%s does not rotate", [r.address])) if {
	some r in lib.resources("aws_kms_key")
	object.get(r.config, "key_spec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
	not r.config.enable_key_rotation == true
	not lib.unknown(object.get(r.config, "enable_key_rotation", false))
}

deny contains lib.hit("AWS-048", r, r.config, "kms_key_id", sprintf("%s is not encrypted with KMS", [r.address])) if {
	some r in lib.resources("aws_cloudwatch_log_group")
	not r.config.kms_key_id
}

deny contains lib.hit("AWS-049", r, env, name, sprintf("%s sets %s in its environment", [r.address, name])) if {
	some r in lib.resources("aws_lambda_function")
	some env in lib.blocks(r.config, "environment")
	some name, value in object.get(env, "variables", {})
	lib.secret_name(name)
	is_string(value)
	value != ""
	not lib.unknown(value)
}

deny contains lib.hit("AWS-050", r, r.config, "assume_role_policy", sprintf("%s trusts every principal", [r.address])) if {
	some r in lib.resources("aws_iam_role")
	is_string(r.config.assume_role_policy)
	json.is_valid(r.config.assume_role_policy)
	some s in as_list(json.unmarshal(r.config.assume_role_policy).Statement)
	object.get(s, "Effect", "Allow") == "Allow"
	any_principal(s.Principal)
	not s.Condition
}

any_principal(p) if p == "*"

any_principal(p) if "*" in as_list(p.AWS)
