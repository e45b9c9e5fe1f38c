package query

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// ServerError is an error the server sent: its number, SQLSTATE and text.
// The connection package turns the driver's errors into it, so that no
// reader depends on the driver.
type ServerError struct {
	Number   uint16
	SQLState string // five characters, or "" when the server sent none
	Message  string
}

// Error reads as the driver's own error text: "Error 1045 (28000): ...".
func (e *ServerError) Error() string {
	if e.SQLState != "" {
		return fmt.Sprintf("Error %d (%s): %s", e.Number, e.SQLState, e.Message)
	}
	return fmt.Sprintf("Error %d: %s", e.Number, e.Message)
}

// Number returns the server error number in err's chain, and false when
// err is not a server error.
func Number(err error) (uint16, bool) {
	var se *ServerError
	if !errors.As(err, &se) {
		return 0, false
	}
	return se.Number, true
}

// IsError reports whether err is one of the server errors numbers.
func IsError(err error, numbers ...uint16) bool {
	n, ok := Number(err)
	if !ok {
		return false
	}
	for _, x := range numbers {
		if n == x {
			return true
		}
	}
	return false
}

// Server error numbers this file interprets.
const (
	errDBAccessDenied         = 1044 // ER_DBACCESS_DENIED_ERROR
	errAccessDenied           = 1045 // ER_ACCESS_DENIED_ERROR (login)
	errParse                  = 1064 // ER_PARSE_ERROR
	errTableAccessDenied      = 1142 // ER_TABLEACCESS_DENIED_ERROR
	errColumnAccessDenied     = 1143 // ER_COLUMNACCESS_DENIED_ERROR
	errSpecificAccessDenied   = 1227 // ER_SPECIFIC_ACCESS_DENIED_ERROR
	errProcAccessDenied       = 1370 // ER_PROCACCESS_DENIED_ERROR
	errAccessDeniedNoPassword = 1698 // ER_ACCESS_DENIED_NO_PASSWORD_ERROR (login)
	errNoSystemTableAccess    = 3554 // ER_NO_SYSTEM_TABLE_ACCESS (MySQL 8.0)
)

// IsSyntaxError reports whether err is the server's syntax error (1064),
// the only error after which another spelling of a statement is tried.
func IsSyntaxError(err error) bool {
	return IsError(err, errParse)
}

// AccessError is a server's refusal for lack of a privilege, or of a login.
type AccessError struct {
	Number  uint16 // the server's error number, such as 1227
	Message string // the server's own text, unchanged
	Missing string // the privilege that is missing, "" for a refused login
	Hint    string // what the server's text leaves unsaid, "" when nothing
	err     error
}

// Error keeps the server's text and adds what it leaves unsaid.
func (e *AccessError) Error() string {
	kind := "access denied"
	if e.Number == errAccessDenied || e.Number == errAccessDeniedNoPassword {
		kind = "login refused"
	}
	msg := fmt.Sprintf("%s (error %d): %s", kind, e.Number, e.Message)
	if e.Hint != "" {
		msg = strings.TrimSuffix(msg, ".") + "; " + e.Hint
	}
	return msg
}

// Unwrap returns the server's error, so errors.As still finds *ServerError.
func (e *AccessError) Unwrap() error { return e.err }

// The patterns below are compiled on first use, not at start-up: a check
// that meets no refusal (nearly every run) never pays for them.
var (
	// "Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s) for this operation"
	// and, in 5.0/5.1, "Access denied; you need the SUPER,REPLICATION CLIENT privilege for this operation".
	needPrivilegeRE = lazyRegexp(`you need (?:\(at least one of\) )?the (.+?) privilege`)
	// "SELECT command denied to user 'u'@'h' for table `db`.`t`", "... for column 'c' in table 't'",
	// "execute command denied to user 'u'@'h' for routine 'db.p'".
	commandDeniedRE = lazyRegexp(`^(.+?) command denied to user '[^']*'@'[^']*' for (.+)$`)
	// "Access denied for user 'u'@'h' to database 'db'".
	databaseDeniedRE = lazyRegexp(`to database '([^']*)'`)
)

// lazyRegexp returns a function that compiles expr on its first call and
// returns the same *regexp.Regexp on every call.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// Explain turns a privilege or login refusal into an *AccessError that keeps
// the server's text and names the missing privilege when the text does not;
// nil and every other error are returned unchanged. Call it on the error as
// the driver returned it: the text of any wrapping is not repeated.
func Explain(err error) error {
	var me *ServerError
	if !errors.As(err, &me) {
		return err
	}
	ae := &AccessError{Number: me.Number, Message: me.Message, err: err}
	switch me.Number {
	case errSpecificAccessDenied:
		if m := needPrivilegeRE().FindStringSubmatch(me.Message); m != nil {
			ae.Missing = m[1] // the server already names it
		} else {
			ae.Missing = "a privilege the server did not name"
			ae.Hint = "the server did not say which privilege is missing"
		}
	case errTableAccessDenied, errColumnAccessDenied, errProcAccessDenied:
		if m := commandDeniedRE().FindStringSubmatch(me.Message); m != nil {
			ae.Missing = strings.ToUpper(m[1]) + " on " + m[2]
		} else {
			ae.Missing = "a table or routine privilege"
		}
		ae.Hint = "missing privilege: " + ae.Missing
	case errDBAccessDenied:
		if m := databaseDeniedRE().FindStringSubmatch(me.Message); m != nil {
			ae.Missing = "any privilege on database '" + m[1] + "'"
		} else {
			ae.Missing = "any privilege on the database"
		}
		ae.Hint = "missing privilege: " + ae.Missing
	case errAccessDenied, errAccessDeniedNoPassword:
		ae.Hint = "the user name, password or client host matches no account; this is not a missing privilege"
	case errNoSystemTableAccess:
		ae.Hint = "no privilege grants this: the server reserves that table for itself"
	default:
		return err
	}
	return ae
}
