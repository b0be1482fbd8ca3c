// A small HTTP service: gin for the API, logrus for logs, protobuf messages to the upstream.
module example.com/bastion/sca-fixture

go 1.21

toolchain go1.21.5

require (
	example.com/bastion/fixture-tools v0.0.0-00010101000000-000000000000
	github.com/gin-gonic/gin v1.8.1
	github.com/sirupsen/logrus v1.9.0
	golang.org/x/net v0.7.0 // http2 client for the upstream calls
	google.golang.org/protobuf v1.28.1
	gopkg.in/yaml.v3 v3.0.0-20210107192922-496545a6307b
)

require github.com/google/uuid v1.3.0

require (
	github.com/gin-contrib/sse v0.1.0 // indirect
	github.com/go-playground/locales v0.14.0 // indirect
	github.com/go-playground/universal-translator v0.18.0 // indirect
	github.com/go-playground/validator/v10 v10.10.0 // indirect
	github.com/goccy/go-json v0.9.7 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/leodido/go-urn v1.2.1 // indirect
	github.com/mattn/go-isatty v0.0.14 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	github.com/pelletier/go-toml/v2 v2.0.1 // indirect
	github.com/ugorji/go/codec v1.2.7 // indirect
	golang.org/x/crypto v0.5.0 // indirect
	golang.org/x/sys v0.5.0 // indirect
	golang.org/x/text v0.7.0 // indirect
	gopkg.in/yaml.v2 v2.4.0 // indirect
)

replace (
	// CVE-2022-28948 is fixed in v3.0.1; keep this until the require above is bumped.
	gopkg.in/yaml.v3 v3.0.0-20210107192922-496545a6307b => gopkg.in/yaml.v3 v3.0.1
	example.com/bastion/fixture-tools => ../fixture-tools
)

exclude github.com/ugorji/go v1.1.7
