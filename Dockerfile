# Gloss in a container: one static binary, run as an unprivileged user,
# its database in the /data volume. See docs/operations.md.
#
#   docker build -t gloss .
#   docker run -d --name gloss -p 8080:8080 -v gloss-data:/data gloss
#
# Settings are GLOSS_* environment variables (README, Configuration).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Pure Go (modernc SQLite): a static binary with no libc. The commit is
# stamped when the build context holds the .git directory.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/usr/local/bin/web ./cmd/web \
 && mkdir -p /out/data /out/tmp \
 && chown 65532:65532 /out/data \
 && chmod 0700 /out/data \
 && chmod 1777 /out/tmp

FROM scratch
# Root certificates, for ACME (-acme-domain) to reach its certificate authority.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/ /
ENV GLOSS_ADDR=:8080 \
    GLOSS_DB=/data/gloss.db \
    TMPDIR=/tmp
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers 200 as soon as the server listens, a long migration
# included (so no start period is needed); `web healthcheck` asks it over
# loopback with the container's settings.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["/usr/local/bin/web", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/web"]
CMD ["serve"]
