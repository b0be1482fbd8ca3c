# A small AWS stack for the shop: web instance, database, assets bucket, from a local module.
variable "environment" {
  default = "prod"
}

variable "admin_cidr" {
  default = "0.0.0.0/0"
}

locals {
  name = "shop-${var.environment}"
  ports = {
    https = 443
    ssh   = 22
  }
}

resource "aws_security_group" "web" {
  name = local.name

  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port = ingress.value
    }
  }

  ingress {
    description = "SSH for admins"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }

  egress {
    description = "HTTPS out"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    encrypted = true
  }
}

resource "aws_db_instance" "orders" {
  engine                  = "postgres"
  storage_encrypted       = false
  publicly_accessible     = true # bastion:allow AWS-009 reachable only through the VPN's public range, see SEC-112
  backup_retention_period = 7
  deletion_protection     = true
}

module "assets" {
  source = "./modules/bucket"
  name   = "${local.name}-assets"
  acl    = "public-read"
}
