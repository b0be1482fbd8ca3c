# AWS storage on Terraform: S3 buckets, EBS, RDS, DynamoDB, SQS, SNS, ECR, OpenSearch, Redshift.
package bastion.checks.terraform.aws_storage

import data.bastion.lib
import rego.v1

cis := "https://www.cisecurity.org/benchmark/amazon_web_services"

metadata := {
	"AWS-001": {"title": "S3 bucket ACL grants public access", "severity": "critical",
		"rationale": "A public-read or public-read-write ACL lets anyone on the internet list or change objects.",
		"remediation": "Use a private ACL (or none: BucketOwnerEnforced) and grant access through IAM.",
		"references": [cis, "CIS AWS 2.1.5"]},
	"AWS-002": {"title": "S3 bucket has no public access block", "severity": "medium",
		"rationale": "Without aws_s3_bucket_public_access_block a later ACL or policy change can expose the bucket.",
		"remediation": "Add an aws_s3_bucket_public_access_block with all four settings true.",
		"references": [cis, "CIS AWS 2.1.5"]},
	"AWS-003": {"title": "S3 public access block leaves a setting off", "severity": "high",
		"rationale": "Each of the four settings closes a different path to public exposure.",
		"remediation": "Set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to true.",
		"references": [cis]},
	"AWS-004": {"title": "S3 bucket without server-side encryption", "severity": "high",
		"rationale": "Objects at rest are readable by anyone who gets the underlying storage or a copy.",
		"remediation": "Add aws_s3_bucket_server_side_encryption_configuration (aws:kms preferred).",
		"references": [cis, "CIS AWS 2.1.1"]},
	"AWS-005": {"title": "S3 bucket versioning is not enabled", "severity": "medium",
		"rationale": "Without versioning an overwrite or deletion (or ransomware) cannot be undone.",
		"remediation": "Add aws_s3_bucket_versioning with status = \"Enabled\".",
		"references": [cis]},
	"AWS-006": {"title": "S3 bucket access logging is not enabled", "severity": "low",
		"rationale": "Server access logs are needed to investigate who read or changed data.",
		"remediation": "Add aws_s3_bucket_logging pointing at a log bucket.",
		"references": [cis, "CIS AWS 3.6"]},
	"AWS-007": {"title": "EBS volume is not encrypted", "severity": "high",
		"rationale": "Unencrypted volumes and their snapshots expose data at rest.",
		"remediation": "Set encrypted = true (and kms_key_id), or enable EBS encryption by default.",
		"references": [cis, "CIS AWS 2.2.1"]},
	"AWS-008": {"title": "RDS storage is not encrypted", "severity": "high",
		"rationale": "Database files, backups and snapshots are readable without a key.",
		"remediation": "Set storage_encrypted = true.", "references": [cis, "CIS AWS 2.3.1"]},
	"AWS-009": {"title": "RDS instance is publicly accessible", "severity": "critical",
		"rationale": "A public endpoint exposes the database to password guessing and exploits from the internet.",
		"remediation": "Set publicly_accessible = false and reach it from inside the VPC.",
		"references": [cis, "CIS AWS 2.3.3"]},
	"AWS-010": {"title": "RDS automated backups are disabled", "severity": "medium",
		"rationale": "A backup retention period of 0 turns automated backups off.",
		"remediation": "Set backup_retention_period to 7 or more.", "references": [cis]},
	"AWS-011": {"title": "RDS deletion protection is off", "severity": "low",
		"rationale": "A mistaken apply or destroy can delete the database.",
		"remediation": "Set deletion_protection = true.", "references": [cis]},
	"AWS-012": {"title": "DynamoDB point-in-time recovery is disabled", "severity": "medium",
		"rationale": "Without PITR a bad write or deletion cannot be rolled back.",
		"remediation": "Add point_in_time_recovery { enabled = true }.", "references": [cis]},
	"AWS-013": {"title": "SQS queue is not encrypted", "severity": "medium",
		"rationale": "Messages at rest are stored without encryption.",
		"remediation": "Set sqs_managed_sse_enabled = true or kms_master_key_id.", "references": [cis]},
	"AWS-014": {"title": "SNS topic is not encrypted", "severity": "medium",
		"rationale": "Messages at rest are stored without a customer key.",
		"remediation": "Set kms_master_key_id.", "references": [cis]},
	"AWS-015": {"title": "ECR image scanning on push is disabled", "severity": "medium",
		"rationale": "Images with known vulnerabilities are pushed and pulled unnoticed.",
		"remediation": "Add image_scanning_configuration { scan_on_push = true }.", "references": [cis]},
	"AWS-016": {"title": "ECR image tags are mutable", "severity": "medium",
		"rationale": "A mutable tag can be re-pointed at a different image after review.",
		"remediation": "Set image_tag_mutability = \"IMMUTABLE\".", "references": [cis]},
	"AWS-017": {"title": "OpenSearch domain is not encrypted at rest", "severity": "high",
		"rationale": "Indexes and snapshots are stored without encryption.",
		"remediation": "Add encrypt_at_rest { enabled = true }.", "references": [cis]},
	"AWS-018": {"title": "Redshift cluster is publicly accessible", "severity": "high",
		"rationale": "A public endpoint exposes the warehouse to the internet.",
		"remediation": "Set publicly_accessible = false.", "references": [cis]},
}

bucket_companion(type, bucket) if {
	some other in lib.resources(type)
	lib.refers_to(other.config.bucket, bucket)
}

buckets := lib.resources("aws_s3_bucket")

deny contains lib.hit("AWS-001", r, r.config, "acl", sprintf("%s has ACL %s", [r.address, r.config.acl])) if {
	some r_type in {"aws_s3_bucket", "aws_s3_bucket_acl"}
	some r in lib.resources(r_type)
	r.config.acl in {"public-read", "public-read-write", "authenticated-read"}
}

deny contains lib.hit("AWS-002", b, b.config, "bucket", sprintf("%s has no public access block", [b.address])) if {
	some b in buckets
	not bucket_companion("aws_s3_bucket_public_access_block", b)
}

deny contains lib.hit("AWS-003", r, r.config, key, sprintf("%s sets %s to false", [r.address, key])) if {
	some r in lib.resources("aws_s3_bucket_public_access_block")
	some key in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]
	not r.config[key] == true
	not lib.unknown(object.get(r.config, key, false))
}

deny contains lib.hit("AWS-004", b, b.config, "bucket", sprintf("%s is not encrypted at rest", [b.address])) if {
	some b in buckets
	count(lib.blocks(b.config, "server_side_encryption_configuration")) == 0
	not bucket_companion("aws_s3_bucket_server_side_encryption_configuration", b)
}

versioned(b) if {
	some v in lib.blocks(b.config, "versioning")
	v.enabled == true
}

versioned(b) if {
	some other in lib.resources("aws_s3_bucket_versioning")
	lib.refers_to(other.config.bucket, b)
	some c in lib.blocks(other.config, "versioning_configuration")
	c.status != "Disabled"
	c.status != "Suspended"
}

deny contains lib.hit("AWS-005", b, b.config, "versioning", sprintf("%s has no versioning", [b.address])) if {
	some b in buckets
	not versioned(b)
}

deny contains lib.hit("AWS-006", b, b.config, "logging", sprintf("%s has no access logging", [b.address])) if {
	some b in buckets
	count(lib.blocks(b.config, "logging")) == 0
	not bucket_companion("aws_s3_bucket_logging", b)
}

deny contains lib.hit("AWS-007", r, r.config, "encrypted", sprintf("%s is not encrypted", [r.address])) if {
	some r in lib.resources("aws_ebs_volume")
	not r.config.encrypted == true
	not lib.unknown(object.get(r.config, "encrypted", false))
}

deny contains lib.hit("AWS-008", r, r.config, "storage_encrypted", sprintf("%s storage is not encrypted", [r.address])) if {
	some r_type in {"aws_db_instance", "aws_rds_cluster"}
	some r in lib.resources(r_type)
	not r.config.storage_encrypted == true
	not lib.unknown(object.get(r.config, "storage_encrypted", false))
	not r.config.replicate_source_db
}

deny contains lib.hit("AWS-009", r, r.config, "publicly_accessible", sprintf("%s is publicly accessible", [r.address])) if {
	some r in lib.resources("aws_db_instance")
	r.config.publicly_accessible == true
}

deny contains lib.hit("AWS-010", r, r.config, "backup_retention_period", sprintf("%s keeps no backups", [r.address])) if {
	some r_type in {"aws_db_instance", "aws_rds_cluster"}
	some r in lib.resources(r_type)
	r.config.backup_retention_period == 0
}

deny contains lib.hit("AWS-011", r, r.config, "deletion_protection", sprintf("%s has no deletion protection", [r.address])) if {
	some r_type in {"aws_db_instance", "aws_rds_cluster"}
	some r in lib.resources(r_type)
	not r.config.deletion_protection == true
	not lib.unknown(object.get(r.config, "deletion_protection", false))
}

deny contains lib.hit("AWS-012", r, r.config, "point_in_time_recovery", sprintf("%s has no point-in-time recovery", [r.address])) if {
	some r in lib.resources("aws_dynamodb_table")
	not pitr(r)
}

pitr(r) if {
	some p in lib.blocks(r.config, "point_in_time_recovery")
	p.enabled != false
}

deny contains lib.hit("AWS-013", r, r.config, "sqs_managed_sse_enabled", sprintf("%s is not encrypted", [r.address])) if {
	some r in lib.resources("aws_sqs_queue")
	not r.config.kms_master_key_id
	not r.config.sqs_managed_sse_enabled == true
	not lib.unknown(object.get(r.config, "sqs_managed_sse_enabled", false))
}

deny contains lib.hit("AWS-014", r, r.config, "kms_master_key_id", sprintf("%s is not encrypted", [r.address])) if {
	some r in lib.resources("aws_sns_topic")
	not r.config.kms_master_key_id
}

deny contains lib.hit("AWS-015", r, r.config, "image_scanning_configuration", sprintf("%s does not scan on push", [r.address])) if {
	some r in lib.resources("aws_ecr_repository")
	not scans_on_push(r)
}

scans_on_push(r) if {
	some c in lib.blocks(r.config, "image_scanning_configuration")
	c.scan_on_push != false
}

deny contains lib.hit("AWS-016", r, r.config, "image_tag_mutability", sprintf("%s has mutable tags", [r.address])) if {
	some r in lib.resources("aws_ecr_repository")
	object.get(r.config, "image_tag_mutability", "MUTABLE") == "MUTABLE"
}

deny contains lib.hit("AWS-017", r, r.config, "encrypt_at_rest", sprintf("%s is not encrypted at rest", [r.address])) if {
	some r_type in {"aws_opensearch_domain", "aws_elasticsearch_domain"}
	some r in lib.resources(r_type)
	not encrypted_at_rest(r)
}

encrypted_at_rest(r) if {
	some e in lib.blocks(r.config, "encrypt_at_rest")
	e.enabled != false
}

deny contains lib.hit("AWS-018", r, r.config, "publicly_accessible", sprintf("%s is publicly accessible", [r.address])) if {
	some r in lib.resources("aws_redshift_cluster")
	r.config.publicly_accessible == true
}
