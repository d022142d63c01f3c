package io.actord.daemon.state;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a PostgreSQL database is, from a libpq connection URI ({@code postgres://user:password@host:port/db}, or
 * {@code postgres://user@/db?host=/run/postgresql} for a Unix socket: a host that starts with {@code /} is the
 * socket's directory, as in libpq) and how each client reaches it: pgjdbc through {@link #jdbcUrl} and
 * {@link #properties} (a socket through junixsocket's socket factory, since pgjdbc speaks only TCP by itself), and
 * libpq's tools ({@code pg_dump}) through {@link #libpqEnvironment}.
 *
 * @param user      empty: the operating system user's name, as libpq does
 * @param host      a host name or address, or a socket directory (starting with {@code /})
 * @param query     further parameters; {@code sslmode} is passed on to both clients, others are refused
 */
public record PostgresLocation(String user, Optional<String> password, String host, int port, String database,
                               Map<String, String> query) {
    public static final int DEFAULT_PORT = 5432;
    private static final String SOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    /**
     * Parses a {@code postgres://} or {@code postgresql://} URI.
     *
     * @throws IllegalArgumentException naming what is wrong with it (the password never appears in the message)
     */
    public static PostgresLocation parse(String uri) {
        String rest;
        if (uri.startsWith("postgres://")) {
            rest = uri.substring("postgres://".length());
        } else if (uri.startsWith("postgresql://")) {
            rest = uri.substring("postgresql://".length());
        } else {
            throw new IllegalArgumentException("a PostgreSQL location starts with postgres:// or postgresql://");
        }
        Map<String, String> query = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (pair.isEmpty() || eq <= 0) {
                    throw new IllegalArgumentException("a PostgreSQL URI parameter is name=value: " + pair);
                }
                query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at);
        String hostPort = at < 0 ? authority : authority.substring(at + 1);
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        Optional<String> password = colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
        String host = hostPort;
        String port = "";
        int portColon = hostPort.lastIndexOf(':');
        if (portColon >= 0 && !hostPort.endsWith("]")) {
            host = hostPort.substring(0, portColon);
            port = hostPort.substring(portColon + 1);
        }
        host = decode(query.getOrDefault("host", host));
        port = query.getOrDefault("port", port);
        query.remove("host");
        query.remove("port");
        for (String name : query.keySet()) {
            if (!name.equals("sslmode")) {
                throw new IllegalArgumentException("unsupported PostgreSQL URI parameter " + name
                        + " (host, port and sslmode are understood)");
            }
        }
        if (host.isEmpty()) {
            host = "/var/run/postgresql";
        }
        if (database.isEmpty()) {
            throw new IllegalArgumentException("a PostgreSQL URI names its database: postgres://user@host/database");
        }
        int portNumber;
        try {
            portNumber = port.isEmpty() ? DEFAULT_PORT : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a PostgreSQL port is a number: " + port);
        }
        if (portNumber < 1 || portNumber > 65_535) {
            throw new IllegalArgumentException("a PostgreSQL port is 1-65535: " + port);
        }
        return new PostgresLocation(user.isEmpty() ? System.getProperty("user.name") : user, password, host,
                portNumber, database, Map.copyOf(query));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public boolean isSocket() {
        return host.startsWith("/");
    }

    /** pgjdbc's URL; the rest (user, password, socket factory) is in {@link #properties}. */
    public String jdbcUrl() {
        String h = isSocket() ? "localhost" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /** pgjdbc's connection properties. */
    public Properties properties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        password.ifPresent(pw -> p.setProperty("password", pw));
        if (isSocket()) {
            p.setProperty("socketFactory", SOCKET_FACTORY);
            p.setProperty("socketFactoryArg", host + "/.s.PGSQL." + port);
            p.setProperty("sslmode", "disable");
        } else if (query.containsKey("sslmode")) {
            p.setProperty("sslmode", query.get("sslmode"));
        }
        p.setProperty("ApplicationName", "actord");
        p.setProperty("reWriteBatchedInserts", "true");
        return p;
    }

    /** libpq's environment variables for the same database ({@code pg_dump}, {@code psql}). */
    public Map<String, String> libpqEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGUSER", user);
        env.put("PGDATABASE", database);
        password.ifPresent(pw -> env.put("PGPASSWORD", pw));
        if (query.containsKey("sslmode")) {
            env.put("PGSSLMODE", query.get("sslmode"));
        }
        return env;
    }

    /** The location without its password, for logs and messages. */
    @Override
    public String toString() {
        return "postgres://" + user + (password.isPresent() ? ":***" : "") + "@"
                + (isSocket() ? "/" + database + "?host=" + host + "&port=" + port : host + ":" + port + "/" + database);
    }
}
