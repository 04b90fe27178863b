package sim

import "bufio"

func writeReport(w *bufio.Writer, a *aggregate, s *Summary) error { return nil }
