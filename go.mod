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
