package credstore

// processCrash is nil in every build that ships. A build with the crashtest tag
// (crashpoint_crashtest.go, for tests that kill the real binary between
// two steps of a change) sets it.
var processCrash func(step string)
