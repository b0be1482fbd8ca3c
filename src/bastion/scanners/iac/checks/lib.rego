# Helpers shared by the built-in checks; user policies may import them too (data.bastion.lib).
package bastion.lib

import rego.v1

# The line of key in a mapping read from source, else the mapping's own line, else the fallback.
line_of(node, key, fallback) := n if {
	n := node.__lines__[key]
} else := n if {
	n := node.__line__
} else := fallback

# A violation of check id at key of node inside element (a resource, object, workflow...).
hit(id, element, node, key, msg) := {
	"id": id,
	"msg": msg,
	"file": element.file,
	"line": line_of(node, key, element.line),
	"resource": object.get(element, "address", object.get(element, "name", "")),
	"element_line": element.line,
	"element_end": object.get(element, "end_line", element.line),
}

# Resources of a Terraform or CloudFormation document of a type.
# input.resources maps each resource type to its resources.
resources(type) := object.get(input.resources, type, [])

# The blocks named name inside a Terraform configuration (always a list).
blocks(config, name) := b if {
	b := config[name]
	is_array(b)
} else := []

# True when value is set to something other than false, null or an empty string.
truthy(value) if {
	value != false
	value != null
	value != ""
}

# An unresolved Terraform expression (a reference or a function call): its value is unknown.
unknown(value) if {
	is_string(value)
	startswith(value, "${")
}

# True when some resource of type refers to address (e.g. aws_s3_bucket.logs) in attribute attr.
referenced_by(type, attr, resource) if {
	some other in resources(type)
	refers_to(other.config[attr], resource)
}

refers_to(value, resource) if {
	is_string(value)
	contains(value, sprintf("%s.%s.", [resource.type, resource.name]))
}

refers_to(value, resource) if {
	is_string(value)
	value == resource.config.bucket
}

# CIDRs that mean "the whole internet".
public_cidr(cidr) if cidr in {"0.0.0.0/0", "::/0", "*", "Internet", "internet", "any", "Any"}

# A variable name that usually holds a secret (rego-cpp's regex has no (?i), hence lower()).
secret_name(name) if regex.match(`(password|passwd|secret|token|api_?key|apikey|private_?key|access_?key|credential)`, lower(name))

# A literal value, not a reference to a secret store or an unresolved expression.
literal_secret(value) if {
	is_string(value)
	count(value) > 0
	not unknown(value)
	not contains(value, "${{")
	not startswith(value, "$")
	not startswith(value, "/") # a path to a mounted secret file
}

# An image reference without a tag or digest, or with the tag "latest".
unpinned_image(image) if {
	not contains(image, "@")
	tag := image_tag(image)
	tag in {"", "latest"}
}

image_tag(image) := t if {
	name := regex.replace(image, `^[^/]+\.[^/]+/|^[^/]+:[0-9]+/`, "")
	parts := split(name, ":")
	count(parts) > 1
	t := parts[count(parts) - 1]
} else := ""

# The entries of a mapping read from source, without the __line__ and __lines__ keys.
entries(obj) := {k: v | some k, v in obj; not startswith(k, "__")}
