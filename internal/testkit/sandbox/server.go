package sandbox

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Bounds on waiting for a server; Start and StartAgain are also bounded by
// their context.
const (
	readyTimeout    = 60 * time.Second // from exec to answering a ping
	shutdownTimeout = 20 * time.Second // from SIGTERM to exit, then SIGKILL
)

// Server is one mariadbd of a sandbox.
type Server struct {
	Name     string     // name from the topology
	ServerID int        // server_id
	Port     int        // TCP port on 127.0.0.1
	Socket   string     // unix socket path
	DataDir  string     // datadir
	Dir      string     // directory holding my.cnf, socket, pid file, error log and data
	CnfFile  string     // my.cnf passed with --defaults-file
	PidFile  string     // pid-file
	LogFile  string     // log-error
	TmpDir   string     // tmpdir, this server's alone (see renderCnf)
	Spec     ServerSpec // spec it was started from, Port filled in

	bins binaries

	mu     sync.Mutex
	proc   *process // nil before the first start
	paused bool
	db     *sql.DB
}

// process is one run of mariadbd.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // exit status, valid once done is closed
}

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Addr returns "127.0.0.1:PORT".
func (s *Server) Addr() string { return fmt.Sprintf("127.0.0.1:%d", s.Port) }

// DSN returns a go-sql-driver DSN for user over TCP to this server.
func (s *Server) DSN(user, password string) string {
	c := mysql.NewConfig()
	c.User, c.Passwd, c.Net, c.Addr = user, password, "tcp", s.Addr()
	c.Timeout = 5 * time.Second
	return c.FormatDSN()
}

// MonitorDSN returns the DSN of the monitor account over TCP.
func (s *Server) MonitorDSN() string { return s.DSN(MonitorUser, MonitorPassword) }

// Pid returns the process id of the running mariadbd, or 0.
func (s *Server) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil || s.proc.exited() {
		return 0
	}
	return s.proc.cmd.Process.Pid
}

// Running reports whether mariadbd is running and not paused.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.proc != nil && !s.proc.exited() && !s.paused
}

// RootDB returns the cached pool of root connections through the socket.
// It stays valid across Shutdown/StartAgain and is closed by Stop.
func (s *Server) RootDB() (*sql.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		c := mysql.NewConfig()
		c.User, c.Net, c.Addr = "root", "unix", s.Socket
		c.Timeout = 5 * time.Second
		conn, err := mysql.NewConnector(c)
		if err != nil {
			return nil, fmt.Errorf("sandbox: %s: %w", s.Name, err)
		}
		s.db = sql.OpenDB(conn)
		s.db.SetMaxIdleConns(4)
	}
	return s.db, nil
}

// Exec runs each statement in order as root on one session, which is then
// discarded so session settings (SET sql_log_bin=0, ...) never leak into
// the pool. The error names the server and the failing statement.
func (s *Server) Exec(ctx context.Context, stmts ...string) error {
	db, err := s.RootDB()
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sandbox: %s: connect: %w", s.Name, err)
	}
	defer conn.Close()
	defer conn.Raw(func(any) error { return driver.ErrBadConn }) // drop, do not pool
	for _, stmt := range stmts {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sandbox: %s: %s: %w", s.Name, stmt, err)
		}
	}
	return nil
}

// QueryString runs query as root and returns the first column of the first
// row ("" for NULL); no row is an error.
func (s *Server) QueryString(ctx context.Context, query string) (string, error) {
	db, err := s.RootDB()
	if err != nil {
		return "", err
	}
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return "", fmt.Errorf("sandbox: %s: %s: %w", s.Name, query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", fmt.Errorf("sandbox: %s: %s: %w", s.Name, query, err)
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return "", fmt.Errorf("sandbox: %s: %s: %w", s.Name, query, err)
		}
		return "", fmt.Errorf("sandbox: %s: %s: %w", s.Name, query, sql.ErrNoRows)
	}
	vals := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := rows.Scan(dest...); err != nil {
		return "", fmt.Errorf("sandbox: %s: %s: %w", s.Name, query, err)
	}
	return string(vals[0]), nil
}

// start launches mariadbd and waits until it answers on its socket.
func (s *Server) start(ctx context.Context) error {
	s.mu.Lock()
	if s.proc != nil && !s.proc.exited() {
		s.mu.Unlock()
		return fmt.Errorf("sandbox: %s: already running (pid %d)", s.Name, s.proc.cmd.Process.Pid)
	}
	s.mu.Unlock()

	logf, err := os.OpenFile(s.LogFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("sandbox: %s: %w", s.Name, err)
	}
	// mariadbd writes to log-error itself; early messages (bad option) go
	// to stderr, which is the same file.
	cmd := exec.Command(s.bins.mariadbd, "--defaults-file="+s.CnfFile)
	cmd.Dir = s.Dir
	cmd.Stdout, cmd.Stderr = logf, logf
	err = spawn(cmd)
	logf.Close()
	if err != nil {
		return fmt.Errorf("sandbox: %s: start %s: %w", s.Name, s.bins.mariadbd, err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	s.mu.Lock()
	s.proc, s.paused = p, false
	s.mu.Unlock()
	return s.waitReady(ctx, p)
}

// waitReady pings the socket with a short backoff until mariadbd answers,
// exits, or the bound passes.
func (s *Server) waitReady(ctx context.Context, p *process) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	db, err := s.RootDB()
	if err != nil {
		return err
	}
	delay := 5 * time.Millisecond
	for {
		pctx, pcancel := context.WithTimeout(ctx, 2*time.Second)
		err := db.PingContext(pctx)
		pcancel()
		if err == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("sandbox: %s: mariadbd exited during start-up (%v); error log:\n%s", s.Name, p.err, s.LogTail(15))
		case <-ctx.Done():
			s.killProcess(p)
			return fmt.Errorf("sandbox: %s: not answering on %s: %v (%w); error log:\n%s", s.Name, s.Socket, err, ctx.Err(), s.LogTail(15))
		case <-time.After(delay):
		}
		delay = min(2*delay, 100*time.Millisecond)
	}
}

// current returns the live process, or an error naming the server.
func (s *Server) current() (*process, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil || s.proc.exited() {
		return nil, fmt.Errorf("sandbox: %s: not running", s.Name)
	}
	return s.proc, nil
}

// signal sends sig to the live process.
func (s *Server) signal(sig syscall.Signal) (*process, error) {
	p, err := s.current()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		return nil, fmt.Errorf("sandbox: %s: %v: %w", s.Name, sig, err)
	}
	return p, nil
}

// Pause stops the mariadbd process with SIGSTOP, like a hung server: it
// keeps its sockets but answers nothing until Resume. It returns once the
// kernel reports the process stopped.
func (s *Server) Pause() error {
	p, err := s.signal(syscall.SIGSTOP)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.paused = true
	s.mu.Unlock()
	return waitStopped(p, true)
}

// Resume continues a paused mariadbd with SIGCONT.
func (s *Server) Resume() error {
	p, err := s.signal(syscall.SIGCONT)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.paused = false
	s.mu.Unlock()
	return waitStopped(p, false)
}

// waitStopped waits (bounded) until /proc shows the process stopped or
// not; signal delivery is asynchronous. Without /proc it returns at once.
func waitStopped(p *process, stopped bool) error {
	path := fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid)
	for range 200 {
		b, err := os.ReadFile(path)
		if err != nil || p.exited() {
			return nil
		}
		// the state letter follows "(comm) "
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 || i+2 >= len(b) {
			return nil
		}
		if (b[i+2] == 'T') == stopped {
			return nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("sandbox: process %d: stopped state still not %v after 1s", p.cmd.Process.Pid, stopped)
}

// Kill ends mariadbd with SIGKILL (a crash) and waits for it to exit.
func (s *Server) Kill() error {
	p, err := s.current()
	if err != nil {
		return err
	}
	s.killProcess(p)
	return nil
}

// killProcess sends SIGKILL and waits for the exit.
func (s *Server) killProcess(p *process) {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	s.dropIdle()
}

// Shutdown stops mariadbd cleanly (SIGCONT, then SIGTERM) and waits for it;
// after shutdownTimeout it is killed and an error returned.
func (s *Server) Shutdown() error {
	p, err := s.current()
	if err != nil {
		return err
	}
	return s.shutdownProcess(p)
}

// shutdownProcess is Shutdown for a known process.
func (s *Server) shutdownProcess(p *process) error {
	_ = p.cmd.Process.Signal(syscall.SIGCONT)
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	s.mu.Lock()
	s.paused = false
	s.mu.Unlock()
	defer s.dropIdle()
	select {
	case <-p.done:
		var exit *exec.ExitError
		if errors.As(p.err, &exit) && !exit.Success() {
			return fmt.Errorf("sandbox: %s: mariadbd exited with %v during shutdown; error log:\n%s", s.Name, p.err, s.LogTail(10))
		}
		return nil
	case <-time.After(shutdownTimeout):
		s.killProcess(p)
		return fmt.Errorf("sandbox: %s: no clean shutdown within %s, killed; error log:\n%s", s.Name, shutdownTimeout, s.LogTail(10))
	}
}

// StartAgain restarts a stopped or killed server with the same data
// directory, port and my.cnf; replication threads resume by themselves.
func (s *Server) StartAgain(ctx context.Context) error {
	return s.start(ctx)
}

// Restart shuts the server down cleanly, appends lines to its my.cnf (the
// [mariadbd] group is the file's last), and starts it again. It is how a
// test or the demo changes a setting that is not dynamic, such as
// log_slave_updates.
func (s *Server) Restart(ctx context.Context, lines ...string) error {
	if err := s.Shutdown(); err != nil {
		return err
	}
	if len(lines) > 0 {
		f, err := os.OpenFile(s.CnfFile, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("sandbox: %s: %w", s.Name, err)
		}
		_, err = f.WriteString(strings.Join(lines, "\n") + "\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("sandbox: %s: %w", s.Name, err)
		}
	}
	return s.StartAgain(ctx)
}

// WaitDumpThreads waits until s serves n replication connections ("Binlog
// Dump" threads: its replicas, and its partner in a ring), as after a
// restart, when they reconnect. Without a context deadline it gives up
// after defaultWaitTimeout.
func (s *Server) WaitDumpThreads(ctx context.Context, n int) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultWaitTimeout)
		defer cancel()
	}
	want := strconv.Itoa(n)
	for {
		got, err := s.QueryString(ctx, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")
		if err == nil && got == want {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("sandbox: %s: %d replication connections expected, %s now (%v)", s.Name, n, got, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// dropIdle closes the pooled connections of a server that went away, so
// the next use dials afresh.
func (s *Server) dropIdle() {
	s.mu.Lock()
	db := s.db
	s.mu.Unlock()
	if db != nil {
		db.SetMaxIdleConns(0)
		db.SetMaxIdleConns(4)
	}
}

// closeDB closes the cached root pool.
func (s *Server) closeDB() error {
	s.mu.Lock()
	db := s.db
	s.db = nil
	s.mu.Unlock()
	if db == nil {
		return nil
	}
	return db.Close()
}

// LogTail returns the last n lines of the error log.
func (s *Server) LogTail(n int) string {
	f, err := os.Open(s.LogFile)
	if err != nil {
		return fmt.Sprintf("(no error log: %v)", err)
	}
	defer f.Close()
	const window = 64 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() > window {
		_, _ = f.Seek(fi.Size()-window, io.SeekStart)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return fmt.Sprintf("(error log: %v)", err)
	}
	return tail(strings.ToValidUTF8(string(b), "?"), n)
}
