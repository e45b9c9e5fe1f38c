// Package query is the one way the plugins run a statement and read its
// answer: a Runner sends one statement and returns a Result whose columns
// are found by name (for SHOW statements, whose columns the server names)
// or by position (for the plugins' own SELECTs), every value as text or
// NULL. Server errors arrive as *ServerError, whatever driver produced
// them, and Explain turns a refusal into an *AccessError that names the
// missing privilege.
//
// The package talks to no server: it imports neither database/sql nor the
// driver. The connection package (internal/mysqlconn) adapts its sessions
// to Runner at the edge, so that the model packages (server, replica) and
// the judges above them can read results without being able to connect.
package query
