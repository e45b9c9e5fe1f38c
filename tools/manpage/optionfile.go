package main

// The option file every shipped definition, man page and document names
// for the monitoring account: one path, readable by the nagios user, as
// which Debian runs the checks of Icinga 2, Nagios 4 and NRPE, and by no
// other (TestOneOptionFile keeps them to it).
const (
	optionFilePath  = "/etc/nagios/replmon.cnf"
	optionFileOwner = "root"
	optionFileGroup = "nagios"
	optionFileMode  = "0640"
)

// defaultsFlag is the --defaults-file argument naming optionFilePath.
const defaultsFlag = "--defaults-file=" + optionFilePath
