// Command api serves the front end's static files and a health check.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	flag.Parse()
	static := os.Getenv("STATIC_DIR")
	if static == "" {
		static = "/srv/static"
	}
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(static)))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	log.Printf("listening on %s, serving %s", *addr, static)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
