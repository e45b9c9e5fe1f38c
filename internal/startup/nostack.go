//go:build replmon_nostackgrow

package startup

// GrowMainStack does nothing in a build with the tag replmon_nostackgrow,
// with which make bench measures what the stack pre-growths buy.
func GrowMainStack() {}

// GrowCheckStack does nothing in a build with the tag replmon_nostackgrow.
func GrowCheckStack() {}
