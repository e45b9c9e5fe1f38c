package mysqlconn

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/alecthomas/kingpin/v2"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/optfile"
)

// Flags holds the shared connection flags.
type Flags struct {
	Host         string // --host
	Port         int    // --port
	Socket       string // --socket
	User         string // --user
	Password     string // --password
	DefaultsFile string // --defaults-file
	GroupSuffix  string // --defaults-group-suffix
	NoDefaults   bool   // --no-defaults
	SSLMode      string // --ssl-mode
	SSLCA        string // --ssl-ca
	SSLCert      string // --ssl-cert
	SSLKey       string // --ssl-key

	set setFlags // which flags were given on the command line

	files   []string // option files read instead of the standard list; for tests
	sockets []string // socket paths tried instead of the standard list; for tests
}

// setFlags records which flags the user gave; they beat the option files.
type setFlags struct {
	host, port, socket, user, password, sslMode, sslCA, sslCert, sslKey bool
}

// Register adds the connection flags to app.
func (f *Flags) Register(app *kingpin.Application) {
	app.Flag("host", "Server host name or IP address; localhost means the local Unix socket.").
		Short('H').Default("localhost").IsSetByUser(&f.set.host).StringVar(&f.Host)
	app.Flag("port", "Server TCP port; given with --host localhost it forces TCP.").
		Short('P').Default("3306").IsSetByUser(&f.set.port).IntVar(&f.Port)
	app.Flag("socket", "Unix socket file of the local server.").
		Short('S').PlaceHolder("PATH").IsSetByUser(&f.set.socket).StringVar(&f.Socket)
	app.Flag("user", "Account name (default: your login name).").
		Short('u').IsSetByUser(&f.set.user).StringVar(&f.User)
	app.Flag("password", "Password; an option file is safer (MYSQL_PWD is read last).").
		Short('p').IsSetByUser(&f.set.password).SetValue((*passwordValue)(&f.Password))
	app.Flag("defaults-file", "Read only this option file.").
		PlaceHolder("FILE").StringVar(&f.DefaultsFile)
	app.Flag("defaults-group-suffix", "Also read the option groups [client<SUFFIX>] and the like.").
		PlaceHolder("SUFFIX").StringVar(&f.GroupSuffix)
	app.Flag("no-defaults", "Read no option files.").BoolVar(&f.NoDefaults)
	app.Flag("ssl-mode", "TLS use: "+strings.Join(sslModeNames, ", ")+".").
		Default("PREFERRED").IsSetByUser(&f.set.sslMode).StringVar(&f.SSLMode)
	app.Flag("ssl-ca", "PEM file of the CA certificates to trust; implies VERIFY_CA unless --ssl-mode is given.").
		PlaceHolder("FILE").IsSetByUser(&f.set.sslCA).StringVar(&f.SSLCA)
	app.Flag("ssl-cert", "PEM file of the client certificate.").
		PlaceHolder("FILE").IsSetByUser(&f.set.sslCert).StringVar(&f.SSLCert)
	app.Flag("ssl-key", "PEM file of the client key.").
		PlaceHolder("FILE").IsSetByUser(&f.set.sslKey).StringVar(&f.SSLKey)
}

// ServerGiven reports whether -H, -P or -S was given on the command line,
// so that the connection flags name a server of their own (a check that
// also takes a list of servers audits it too).
func (f *Flags) ServerGiven() bool { return f.set.host || f.set.port || f.set.socket }

// passwordValue is the --password flag's value. Its Secret method tells
// the plugin layer, which knows no flag by name, never to quote the words
// around it in a command-line error; String never returns it.
type passwordValue string

func (p *passwordValue) Set(s string) error { *p = passwordValue(s); return nil }
func (p *passwordValue) String() string     { return "" }

// Secret marks the value as a secret.
func (p *passwordValue) Secret() bool { return true }

// Resolve merges, strongest first, the flags given on the command line, the
// option files, the MYSQL_PWD environment variable and the defaults into the
// configuration of one server.
func (f *Flags) Resolve() (Config, error) {
	opts, files, err := f.readOptionFiles()
	if err != nil {
		return Config{}, err
	}
	pick := func(set bool, flagValue, key string) string {
		if set {
			return flagValue
		}
		if v, ok := opts.Lookup(key); ok && v != "" {
			return v
		}
		return flagValue
	}

	c := Config{Warnings: files.Warnings, OptionFiles: files.Files, SkippedFiles: files.Skipped}
	c.Host = pick(f.set.host, f.Host, "host")
	if c.Host == "" {
		c.Host = "localhost"
	}
	if err := checkHost(c.Host, f.set.host); err != nil {
		return Config{}, err
	}
	c.User = pick(f.set.user, f.User, "user")
	if c.User == "" {
		c.User = loginName()
	}
	c.password = f.password(opts)
	if c.Port, err = f.port(opts); err != nil {
		return Config{}, err
	}
	if c.Socket, err = f.socket(opts, c.Host); err != nil {
		return Config{}, err
	}
	if c.Socket != "" {
		c.Host = "localhost"
	}
	c.SSLCA = pick(f.set.sslCA, f.SSLCA, "ssl-ca")
	c.SSLCert = pick(f.set.sslCert, f.SSLCert, "ssl-cert")
	c.SSLKey = pick(f.set.sslKey, f.SSLKey, "ssl-key")
	explicit := false
	if c.SSLMode, explicit, err = f.sslMode(opts, c.SSLCA); err != nil {
		return Config{}, err
	}
	if explicit && c.SSLMode < SSLVerifyCA && c.SSLMode != SSLDisabled && c.SSLCA != "" {
		c.Warnings = append(c.Warnings, "no verification of the server certificate will be done; use --ssl-mode=VERIFY_CA or VERIFY_IDENTITY")
	}
	if err := c.loadTLSFiles(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// checkHost rejects a host that is neither a host name nor an IP address,
// such as "db:3306", "[::1]" or "a b", before any connection is tried.
func checkHost(h string, fromFlag bool) error {
	if address.ValidHostName(h) || address.IsIPv6(h) {
		return nil
	}
	where := "the host in the option files"
	if fromFlag {
		where = "--host"
	}
	return fmt.Errorf("%s %q is not a host name or IP address (give the port with --port)", where, h)
}

// readOptionFiles reads the option files selected by the flags, later files
// overriding earlier ones, and reports what it read and skipped.
func (f *Flags) readOptionFiles() (optfile.Options, optfile.Report, error) {
	opts := optfile.Options{}
	var rep optfile.Report
	if f.NoDefaults {
		if f.DefaultsFile != "" {
			return nil, rep, errors.New("--defaults-file and --no-defaults cannot be used together")
		}
		return opts, rep, nil
	}
	suffix := f.GroupSuffix
	if suffix == "" {
		suffix = os.Getenv("MYSQL_GROUP_SUFFIX")
	}
	groups := optfile.Groups(suffix)
	if f.DefaultsFile != "" {
		return optfile.ReadReport(f.DefaultsFile, groups)
	}
	files := f.files
	if files == nil {
		files = standardFiles()
	}
	for _, path := range files {
		o, r, err := optfile.ReadReport(path, groups)
		rep.Files = append(rep.Files, r.Files...)
		rep.Skipped = append(rep.Skipped, r.Skipped...)
		rep.Warnings = append(rep.Warnings, r.Warnings...)
		var pe *optfile.ParseError
		switch {
		case err == nil:
		case !errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist):
			continue // the client skips missing standard files silently
		case !errors.As(err, &pe) && errors.Is(err, fs.ErrPermission):
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("skipping option file %s: permission denied", path))
			rep.Skipped = append(rep.Skipped, path+": permission denied (the checks' user cannot read it)")
			continue
		default:
			return nil, rep, err
		}
		for k, v := range o {
			opts[k] = v
		}
	}
	return opts, rep, nil
}

// standardFiles lists the option files the client reads by default on Unix.
func standardFiles() []string {
	files := []string{"/etc/my.cnf", "/etc/mysql/my.cnf"}
	if home := os.Getenv("MYSQL_HOME"); home != "" {
		files = append(files, filepath.Join(home, "my.cnf"))
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		files = append(files, filepath.Join(home, ".my.cnf"))
	}
	return files
}

// password returns the password from the flag, the option files or MYSQL_PWD.
func (f *Flags) password(opts optfile.Options) string {
	if f.set.password {
		return f.Password
	}
	if v, ok := opts.Lookup("password"); ok {
		return v
	}
	if v, ok := os.LookupEnv("MYSQL_PWD"); ok {
		return v
	}
	return f.Password
}

// port returns the TCP port from the flag, the option files or the default.
func (f *Flags) port(opts optfile.Options) (int, error) {
	if f.set.port {
		if f.Port < 1 || f.Port > 65535 {
			return 0, errors.New("--port must be a number from 1 to 65535")
		}
		return f.Port, nil
	}
	if v, ok := opts.Lookup("port"); ok && v != "" {
		p, ok := address.ParsePort(v)
		if !ok {
			return 0, errors.New("the port in the option files must be a number from 1 to 65535")
		}
		return p, nil
	}
	if f.Port < 1 || f.Port > 65535 {
		return 3306, nil
	}
	return f.Port, nil
}

// socket returns the Unix socket to use, or "" for TCP. Like the mysql
// client, host localhost means the socket, unless --port is given; --socket
// forces the socket.
func (f *Flags) socket(opts optfile.Options, host string) (string, error) {
	local := strings.EqualFold(host, "localhost")
	if f.set.socket {
		if f.set.host && !local {
			return "", errors.New("--socket can only be used with --host localhost")
		}
		if f.Socket == "" {
			return "", errors.New("--socket needs a path")
		}
		return f.Socket, nil
	}
	if !local || f.set.port {
		return "", nil
	}
	if v, ok := opts.Lookup("socket"); ok && v != "" {
		return v, nil
	}
	if f.Socket != "" {
		return f.Socket, nil
	}
	candidates := f.sockets
	if candidates == nil {
		candidates = []string{"/run/mysqld/mysqld.sock", "/var/run/mysqld/mysqld.sock", "/tmp/mysql.sock"}
	}
	for _, p := range candidates {
		if info, err := os.Stat(p); err == nil && info.Mode()&fs.ModeSocket != 0 {
			return p, nil
		}
	}
	// None exists: connecting reports the usual path as missing.
	return candidates[0], nil
}

// sslMode returns the TLS mode and whether it was chosen explicitly. As in
// the mysql client, an ssl-mode setting wins; ssl=0 or skip-ssl disables TLS;
// MariaDB's ssl-verify-server-cert means VERIFY_IDENTITY; a CA file without a
// mode means VERIFY_CA.
func (f *Flags) sslMode(opts optfile.Options, ca string) (SSLMode, bool, error) {
	if f.set.sslMode {
		m, err := ParseSSLMode(f.SSLMode)
		if err != nil {
			return 0, false, fmt.Errorf("--ssl-mode must be one of %s", strings.Join(sslModeNames, ", "))
		}
		return m, true, nil
	}
	if v, ok := opts.Lookup("ssl-mode"); ok {
		m, err := ParseSSLMode(v)
		if err != nil {
			return 0, false, fmt.Errorf("ssl-mode in the option files must be one of %s", strings.Join(sslModeNames, ", "))
		}
		return m, true, nil
	}
	if _, ok := opts.Lookup("skip-ssl"); ok {
		return SSLDisabled, false, nil
	}
	if v, ok := opts.Lookup("ssl"); ok {
		on, err := parseBool(v)
		if err != nil {
			return 0, false, errors.New("ssl in the option files must be 0 or 1")
		}
		if !on {
			return SSLDisabled, false, nil
		}
	}
	if v, ok := opts.Lookup("ssl-verify-server-cert"); ok {
		on, err := parseBool(v)
		if err != nil {
			return 0, false, errors.New("ssl-verify-server-cert in the option files must be 0 or 1")
		}
		if on {
			return SSLVerifyIdentity, false, nil
		}
	}
	if ca != "" {
		return SSLVerifyCA, false, nil
	}
	if f.SSLMode == "" {
		return SSLPreferred, false, nil
	}
	m, err := ParseSSLMode(f.SSLMode)
	if err != nil {
		return 0, false, fmt.Errorf("--ssl-mode must be one of %s", strings.Join(sslModeNames, ", "))
	}
	return m, false, nil
}

// parseBool reads a boolean option value the way the client does; an option
// without a value is true.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "", "1", "on", "true":
		return true, nil
	case "0", "off", "false":
		return false, nil
	}
	return false, errors.New("not a boolean")
}

// loadTLSFiles checks the TLS settings and loads the files they name.
func (c *Config) loadTLSFiles() error {
	if c.SSLMode == SSLDisabled {
		return nil
	}
	if (c.SSLCert == "") != (c.SSLKey == "") {
		return errors.New("--ssl-cert and --ssl-key must be given together")
	}
	if c.SSLCert != "" {
		pair, err := tls.LoadX509KeyPair(c.SSLCert, c.SSLKey)
		if err != nil {
			return fmt.Errorf("cannot load the client certificate %s with key %s: %w", c.SSLCert, c.SSLKey, err)
		}
		c.certs = []tls.Certificate{pair}
	}
	if c.SSLMode < SSLVerifyCA {
		return nil
	}
	if c.SSLCA == "" {
		if c.SSLMode == SSLVerifyCA {
			return errors.New("--ssl-mode=VERIFY_CA needs --ssl-ca")
		}
		return nil // VERIFY_IDENTITY trusts the system CAs
	}
	pem, err := os.ReadFile(c.SSLCA)
	if err != nil {
		return fmt.Errorf("cannot read the CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("the CA file %s holds no PEM certificate", c.SSLCA)
	}
	c.roots = pool
	return nil
}

// loginName returns the name of the user running the program, the client's
// default account name.
func loginName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "LOGNAME"} {
		if name := os.Getenv(v); name != "" {
			return name
		}
	}
	return ""
}
