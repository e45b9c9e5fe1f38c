module github.com/replmon/replmon

go 1.22

require (
	github.com/alecthomas/kingpin/v2 v2.4.0
	github.com/go-sql-driver/mysql v1.8.1
	github.com/olorin/nagiosplugin v1.2.0
)

require (
	filippo.io/edwards25519 v1.1.0 // indirect
	github.com/alecthomas/units v0.0.0-20211218093645-b94a6e3cc137 // indirect
	github.com/stretchr/testify v1.8.4 // indirect
	github.com/xhit/go-str2duration/v2 v2.1.0 // indirect
)

// Start-up trick (its figure: internal/startup): Go 1.26's defaults for
// every GODEBUG setting, so that the runtime does not parse an older
// language version's long list of defaults at every start; but neither
// reading the cgroup's CPU limit at start (containermaxprocs) nor watching
// it (updatemaxprocs): a plugin lives for a few seconds at most. TLS keeps
// what it accepted under the Go 1.22 defaults, so that no server a check
// reached stops being reachable: 3DES suites, SHA-1 signatures in TLS 1.2
// handshakes, server certificates with a negative serial number, RSA keys
// under 1024 bits. And no ML-KEM key share (tlsmlkem): generating it costs
// every check over TLS ~20 page faults and ~0.3 ms of CPU, and the servers'
// OpenSSL (3.0 in Debian 12's MariaDB) does not take it (docs/BENCHMARKS.md).
godebug (
	default=go1.26
	containermaxprocs=0
	updatemaxprocs=0
	tlsmlkem=0
	tls3des=1
	tlssha1=1
	x509negativeserial=1
	rsa1024min=0
)
