package dev.argus.rest;

import dev.argus.domain.ArgusException;
import dev.argus.ports.service.Admission;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.in.InferTensorUseCase;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.out.Span;
import dev.argus.ports.service.Tracing;
import java.util.List;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The REST server: Cloudflare's route, {@code /v1/classify}, the Open Inference Protocol, metrics, docs and the demo
 * page, over one {@link ClassifyImageUseCase}. {@link #start()} binds; {@link #close()} stops accepting, lets
 * in-flight requests finish within the configured grace, then stops.
 */
public final class RestServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RestServer.class.getName());
    private static final System.Logger ACCESS = System.getLogger("dev.argus.rest.access");
    private static final Pattern GOOD_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private final RestConfig config;
    private final BooleanSupplier ready;
    private final BearerAuth auth;
    private final BearerAuth admin;
    private final CrossOrigin cors;
    private final Tracing tracing;
    private final dev.argus.ports.in.ModelControl control;
    static final String CONTROL_PATH = "/v2/repository/models/";
    private final Admission admission;
    private final QueuedThreadPool threads;
    private final RestMetrics metrics;
    private final Javalin app;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A server with its own metrics registry and without FP32 tensor input. */
    public RestServer(RestConfig config, ClassifyImageUseCase useCase, BooleanSupplier ready) {
        this(config, useCase, ready, new PrometheusRegistry(), null);
    }

    /**
     * @param ready    true once the model is warmed up; false answers 503 on the readiness routes
     * @param registry where the {@code argus_http_*} series are registered (one server per registry)
     * @param tensors  tensor-level inference for FP32 inputs of the Open Inference Protocol, or null to accept BYTES
     *                 (encoded images) only
     */
    public RestServer(RestConfig config, ClassifyImageUseCase useCase, BooleanSupplier ready, PrometheusRegistry registry,
                      InferTensorUseCase tensors) {
        this(config, useCase, ready, registry, tensors, null);
    }

    /**
     * As above, admitting each request into the server-wide bound {@code shared} as well (null: none), which the
     * other front ends of the same server share.
     */
    public RestServer(RestConfig config, ClassifyImageUseCase useCase, BooleanSupplier ready, PrometheusRegistry registry,
                      InferTensorUseCase tensors, Admission.Shared shared) {
        this(config, single(useCase, tensors, config, ready), ready, registry, shared);
    }

    /** The one model of a single-model server: its name, version 1, Cloudflare's id as its alias. */
    private static ModelCatalog single(ClassifyImageUseCase useCase, InferTensorUseCase tensors, RestConfig config,
                                       BooleanSupplier ready) {
        Objects.requireNonNull(useCase, "useCase");
        return ModelCatalog.alone(useCase, java.util.Optional.ofNullable(tensors), List.of(config.cloudflareModel()), ready);
    }

    /**
     * A server for the models of {@code catalog}, resolved per request.
     *
     * @param ready    true once the server has started (its models warmed up); false answers 503 on readiness routes,
     *                 as does a required model not ready
     * @param registry where the {@code argus_http_*} series are registered (one server per registry)
     * @param shared   the server-wide bound the other front ends share, or null
     */
    public RestServer(RestConfig config, ModelCatalog catalog, BooleanSupplier ready, PrometheusRegistry registry,
                      Admission.Shared shared) {
        this(config, catalog, ready, registry, shared, null, java.util.Set.of());
    }

    /**
     * As above, with model control: {@code POST /v2/repository/models/{name}/load|unload} call {@code control}
     * (null: no repository) for requests bearing one of {@code adminTokens} (empty: model control is refused).
     */
    public RestServer(RestConfig config, ModelCatalog catalog, BooleanSupplier ready, PrometheusRegistry registry,
                      Admission.Shared shared, dev.argus.ports.in.ModelControl control, java.util.Set<String> adminTokens) {
        this(config, catalog, ready, registry, shared, control, adminTokens, Tracing.OFF);
    }

    /**
     * As above, tracing requests with {@code tracing}: a request that arrives with {@code traceparent} (or every request,
     * when spans are exported) gets a server span, whose {@code traceparent} is answered and whose trace id is in the
     * access log; its context travels with the request to the pipeline and the remote backends.
     */
    public RestServer(RestConfig config, ModelCatalog catalog, BooleanSupplier ready, PrometheusRegistry registry,
                      Admission.Shared shared, dev.argus.ports.in.ModelControl control, java.util.Set<String> adminTokens,
                      Tracing tracing) {
        this.config = Objects.requireNonNull(config, "config");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.control = control;
        this.admin = new BearerAuth(adminTokens);
        Objects.requireNonNull(catalog, "catalog");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.auth = new BearerAuth(config.authTokens());
        this.cors = new CrossOrigin(config.cors());
        this.admission = new Admission(new Admission.Limits("REST requests", config.maxConcurrentRequests(),
                "argus.rest.max-concurrent-requests", config.maxBodyBytesInFlight(), "argus.rest.max-body-bytes-in-flight",
                config.admissionWait(), config.requestTimeout()), shared);
        // Room for every admitted request, Jetty's acceptors and selectors (which scale with cores), and the cheap routes.
        int maxThreads = config.maxConcurrentRequests() + 32 + 2 * Runtime.getRuntime().availableProcessors();
        // The queue of work waiting for a thread is bounded: past it Jetty refuses the work (the connection closes) rather
        // than holding it. Jetty 12 warns about a bounded queue once at start; its refusals are what is wanted here.
        this.threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads), 60_000,
                BlockingArrayQueue.newInstance(maxThreads, 4 * maxThreads));
        this.threads.setName("argus-rest-http");
        this.metrics = new RestMetrics(Objects.requireNonNull(registry, "registry"), admission::inFlight, threads::getQueueSize,
                () -> ready.getAsBoolean() && catalog.ready());
        CloudflareRoute cloudflare = new CloudflareRoute(catalog, admission, metrics, config);
        ClassifyRoute classify = new ClassifyRoute(catalog, admission, metrics, config);
        InferenceProtocolRoutes oip = new InferenceProtocolRoutes(catalog, admission, metrics, config, ready);
        PageRoutes pages = new PageRoutes();
        this.app = Javalin.create(c -> {
            configure(c);
            routes(c.routes, cloudflare, classify, oip, pages);
        });
    }

    private void routes(RoutesConfig r, CloudflareRoute cloudflare, ClassifyRoute classify, InferenceProtocolRoutes oip,
                        PageRoutes pages) {
        r.before(this::before);
        r.post(CloudflareRoute.PATH, Exchange.route("/client/v4/accounts/{account_id}/ai/run/{model}", cloudflare::handle));
        r.post(ClassifyRoute.PATH, Exchange.route(ClassifyRoute.PATH, classify::handle));
        r.post(ClassifyRoute.MODEL_PATH + "<model>", Exchange.route("/v1/models/{model}/classify", classify::handleNamed));
        r.get("/v2", Exchange.route("/v2", oip::server));
        r.get("/v2/health/live", Exchange.route("/v2/health/live", oip::live));
        r.get("/v2/health/ready", Exchange.route("/v2/health/ready", oip::ready));
        r.get("/v2/models/<model>", Exchange.route("/v2/models/{model}", oip::get));
        r.post("/v2/models/<model>", Exchange.route("/v2/models/{model}/infer", oip::post));
        r.get("/v2/repository/index", Exchange.route("/v2/repository/index", oip::index));
        r.post("/v2/repository/index", Exchange.route("/v2/repository/index", oip::index));
        r.post(CONTROL_PATH + "<model>", Exchange.route("/v2/repository/models/{model}/{action}", this::control));
        r.get("/metrics", Exchange.route("/metrics", ctx -> Exchange.reply(ctx, 200, RestMetrics.CONTENT_TYPE, metrics.scrape())));
        r.get("/", Exchange.route("/", pages::demo));
        r.get("/docs", Exchange.route("/docs", pages::docs));
        r.get("/openapi.json", Exchange.route("/openapi.json", pages::openapi));
        r.exception(RestError.class, (e, ctx) -> fail(ctx, e));
        r.exception(ArgusException.class, (e, ctx) -> fail(ctx, RestError.of(e)));
        r.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, fromJavalin(e, ctx)));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.log(System.Logger.Level.ERROR, "Unexpected failure handling " + ctx.method() + " " + ctx.path()
                    + " (request " + Exchange.id(ctx) + ")", e);
            fail(ctx, RestError.internal());
        });
        r.error(404, ctx -> {
            if (Exchange.bytesOut(ctx) == 0) {
                fail(ctx, RestError.notFound(ctx.method().name(), ctx.path()));
            }
        });
    }

    private void configure(JavalinConfig c) {
        c.startup.showJavalinBanner = false;
        c.startup.startupWatcherEnabled = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.http.maxRequestSize = config.maxBodyBytes();
        c.http.compressionStrategy = CompressionStrategy.NONE;
        c.jetty.threadPool = threads;
        // Multipart bodies are parsed by Multipart from the body Argus read, never by Jetty (no temporary files).
        c.jetty.modifyHttpConfiguration(http -> {
            http.setSendServerVersion(false);
            // The minimum data rate is checked by RequestBody after a grace period, not by Jetty: Jetty counts from the
            // request's start, so a 15-byte body read 30 ms late on a busy server "arrived" at 500 bytes/s (408).
            // Model names such as microsoft%2Fresnet-50 carry an encoded '/', and may carry an encoded '%' (Jetty 11's
            // default allowed both; Jetty 12's refuses them). Jetty 12's other checks stay: a path with a raw '|', '{',
            // '"', a fragment, an encoded backslash or control character, or bytes that are not UTF-8 is 400.
            http.setUriCompliance(UriCompliance.DEFAULT.with("argus", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                    UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        });
        HeaderDeadline headerDeadline = new HeaderDeadline(config.headerTimeout()); // a trickled request head is cut off
        c.jetty.modifyServer(server -> {
            // stop() drains the requests in flight; Javalin puts its servlet context inside the innermost wrapper
            GracefulHandler graceful = new GracefulHandler();
            Handler.Wrapper requests = headerDeadline.requests();
            // an answer sent before its body was read (413, 401, 429) reaches the client before the connection closes
            requests.setHandler(new LingeringClose());
            graceful.setHandler(requests);
            server.setHandler(graceful);
            server.setErrorHandler(new EnvelopeErrorHandler()); // Jetty's own 400s in the envelope, not HTML
            server.setStopTimeout(config.shutdownGrace().toMillis());
            // beyond this many open connections (TCP, a TLS one once), new ones wait in the kernel's accept queue
            server.addBean(new NetworkConnectionLimit(config.maxConnections(), server));
        });
        c.jetty.addConnector((server, http) -> {
            ServerConnector connector = config.tls() ? tlsConnector(server, http)
                    : new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(config.host());
            connector.setPort(config.port());
            connector.setIdleTimeout(config.requestTimeout().toMillis() + 5_000);
            connector.addBean(headerDeadline);
            return connector;
        });
        c.requestLogger.http(this::access);
    }

    /** HTTPS: TLS from the PEM files, then HTTP/1.1 (SNI is not required: clients call by IP address too). */
    private ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, org.eclipse.jetty.server.HttpConfiguration http) {
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        ssl.setKeyStore(PemKeyStore.load(config.tlsCertChain().get(), config.tlsPrivateKey().get()));
        ssl.setKeyStorePassword("");
        ssl.setSniRequired(false);
        org.eclipse.jetty.server.HttpConfiguration https = new org.eclipse.jetty.server.HttpConfiguration(http);
        org.eclipse.jetty.server.SecureRequestCustomizer secure = new org.eclipse.jetty.server.SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        return new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
    }

    /**
     * {@code POST /v2/repository/models/{name}/load|unload}: the repository extension's model control, for a bearer of
     * an admin token. Answers when done: {@code 200 {}} once the model is served (or released), else the reason, in
     * full (an administrator asked).
     */
    private void control(Context ctx) {
        String uri = ctx.req().getRequestURI();
        String rest = ModelPath.decode(uri.substring(uri.indexOf(CONTROL_PATH) + CONTROL_PATH.length()));
        String action = rest.endsWith("/load") ? "load" : rest.endsWith("/unload") ? "unload" : "";
        // the admin token first: without it, nothing is told (not even whether the route or the model exists)
        RestError refused = adminRefusal(ctx);
        if (refused != null) {
            throw refused;
        }
        if (action.isEmpty() || control == null) {
            throw RestError.notFound("POST", ctx.path());
        }
        if (!control.refusal().isEmpty()) {
            throw new RestError(400, 5006, String.join(" ", control.refusal()));
        }
        String name = rest.substring(0, rest.length() - action.length() - 1);
        try {
            if (action.equals("load")) {
                control.load(name);
            } else {
                control.unload(name);
            }
        } catch (ArgusException e) {
            throw new RestError(e.code() == ErrorCode.INVALID_INPUT ? 404 : 400, e.code() == ErrorCode.INVALID_INPUT ? 3042 : 5006,
                    e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "Model control: {0} ''{1}'' done (request {2})", action, name, Exchange.id(ctx));
        Exchange.json(ctx, 200, Json.object());
    }

    /** Why model control refuses this caller (403: no admin token configured; 401: none or a wrong one sent), or null. */
    private RestError adminRefusal(Context ctx) {
        if (!admin.enabled()) {
            return new RestError(403, 10000, "Model control needs an admin token: set argus.server.admin-tokens and send "
                    + "'Authorization: Bearer <admin token>'.");
        }
        if (!admin.allows(ctx.header("Authorization"))) {
            return new RestError(401, 10000, "Model control needs 'Authorization: Bearer <admin token>' (argus.server.admin-tokens).");
        }
        return null;
    }

    /** Binds and starts serving; returns once the port is open. */
    public RestServer start() {
        if (closed.get()) {
            throw new IllegalStateException("RestServer is closed");
        }
        if (started.compareAndSet(false, true)) {
            try {
                app.start();
            } catch (Exception e) { // adapter boundary: Javalin rethrows Jetty's failures, checked ones included
                started.set(false);
                close();
                throw new ArgusException(ErrorCode.CONFIGURATION, "Cannot listen on " + config.host() + ":" + config.port()
                        + ": " + bindFailure(e) + ". Choose another host/port (argus.rest.host, argus.rest.port).", e);
            }
            LOG.log(System.Logger.Level.INFO, "REST server listening on " + (config.tls() ? "https" : "http") + "://" + config.host() + ":" + port()
                    + " (" + config + ")");
        }
        return this;
    }

    /** The bound port (the chosen one when configured with 0). */
    public int port() {
        if (!started.get()) {
            throw new IllegalStateException("RestServer is not started");
        }
        return app.port();
    }

    /** {@code https} with TLS configured, else {@code http}. */
    public String scheme() {
        return config.tls() ? "https" : "http";
    }

    /** The registry holding this server's series, for the app to add its own or serve elsewhere. */
    public PrometheusRegistry registry() {
        return metrics.registry();
    }

    /** Bytes of request bodies held now (for tests and metrics). */
    long bodyBytesInFlight() {
        return admission.memory().used();
    }

    /** Sets {@code argus_model_load_seconds}: how long the model took to load and warm up. */
    public void recordModelLoadSeconds(double seconds) {
        metrics.modelLoadSeconds(seconds);
    }

    /** Stops accepting, lets in-flight requests finish within the shutdown grace, then stops. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (started.get()) {
            app.stop();
        }
    }

    /** Why binding failed. Javalin's exception loses Jetty's BindException, so try the address once more to say. */
    private String bindFailure(Exception e) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(config.host(), config.port()));
        } catch (java.io.IOException bind) {
            return "the address is in use or not available (" + bind.getMessage() + ")";
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private void before(Context ctx) {
        if (!ready.getAsBoolean()) {
            // Not ready: starting, or shutting down (argus.server.shutdown-delay-ms serves on, not ready). Each answer
            // then closes its connection, so that a keep-alive client reconnects, and through a load balancer reaches
            // a server that is ready, instead of reusing a connection that this server will close when it stops: a
            // request sent on an idle connection just as the server closes it gets no answer at all (HTTP/1.1's
            // close race; the client cannot tell whether it was served).
            ctx.header("Connection", "close");
        }
        String id = ctx.header(Exchange.REQUEST_ID_HEADER);
        Exchange.begin(ctx, id != null && GOOD_REQUEST_ID.matcher(id).matches() ? id : UUID.randomUUID().toString());
        String traceparent = ctx.header(Exchange.TRACEPARENT);
        if (traceparent != null || tracing.exporting()) { // otherwise not traced, at no cost
            Exchange.trace(ctx, tracing.serverSpan(traceparent, traceState(ctx)));
        }
        cors.decorate(ctx); // first: every answer from here on, refusals included, names an allowed origin
        if (cors.allowedPreflight(ctx)) { // answered before auth (browsers send no token with it), for routes only
            List<String> methods = methodsFor(ctx);
            if (!methods.isEmpty()) {
                cors.answerPreflight(ctx, methods);
                Exchange.label(ctx, "preflight");
                ctx.skipRemainingHandlers();
                return;
            }
        }
        if (auth.enabled() && isProtected(ctx.path()) && !auth.allows(ctx.header("Authorization"))) {
            throw RestError.unauthorized();
        }
        if (ctx.req().getContentLengthLong() > config.maxBodyBytes()) {
            throw RestError.tooLarge(config.maxBodyBytes());
        }
    }

    /**
     * The only paths answered without a token when tokens are set: health (for probes), metrics (for scrapers) and the
     * static pages. Everything else needs one, unknown paths included, so that a route added later is protected
     * without anyone remembering to protect it.
     */
    static final java.util.Set<String> OPEN_PATHS = java.util.Set.of("/v2/health/live", "/v2/health/ready", "/metrics", "/",
            "/docs", "/openapi.json");

    /** Model control checks the admin token itself (an inference token does not load models, nor is one needed). */
    private static boolean isProtected(String path) {
        return !OPEN_PATHS.contains(path)
                && !(path.startsWith(CONTROL_PATH) && (path.endsWith("/load") || path.endsWith("/unload")));
    }

    /** Every registered HTTP route, as {@code METHOD path} (for the test that each one is protected or open on purpose). */
    java.util.List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(h -> h.endpoint.method.isHttpMethod())
                .map(h -> h.endpoint.method + " " + h.endpoint.path).toList();
    }

    private void fail(Context ctx, RestError e) {
        metrics.error(e.cloudflareCode());
        Exchange.error(ctx, e);
    }

    private RestError fromJavalin(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 404, 405 -> notFoundOrWrongMethod(ctx);
            case 413 -> RestError.tooLarge(config.maxBodyBytes());
            default -> RestError.invalid("Bad request: " + e.getMessage());
        };
    }

    /**
     * No route answered: 404 for a path no route serves; 405 with {@code Allow} for a path that a route serves with
     * another method. Authentication comes first, as for the route itself: a protected path without a valid token got
     * its 401 in {@link #before}, and model control's paths need the admin token here, so a wrong method tells nobody
     * more than the right one would.
     */
    private RestError notFoundOrWrongMethod(Context ctx) {
        String method = ctx.req().getMethod();
        List<String> methods = methodsFor(ctx);
        if (methods.isEmpty() || methods.contains(method)) {
            return RestError.notFound(method, ctx.path());
        }
        if (ctx.path().startsWith(CONTROL_PATH)) {
            RestError refused = adminRefusal(ctx);
            if (refused != null) {
                return refused;
            }
        }
        ctx.header("Allow", String.join(", ", methods));
        return RestError.methodNotAllowed(method, ctx.path(), methods);
    }

    /** The methods the routes serving this request's path answer (HEAD wherever GET is, as Javalin answers it); empty: none. */
    private List<String> methodsFor(Context ctx) {
        String path = ctx.path().startsWith(ctx.contextPath()) ? ctx.path().substring(ctx.contextPath().length()) : ctx.path();
        io.javalin.router.InternalRouter router = app.unsafe.internalRouter;
        List<String> methods = new java.util.ArrayList<>();
        for (HandlerType t : ROUTE_METHODS) {
            if (!router.findHttpHandlerEntries(t, path).isEmpty()
                    || t == HandlerType.HEAD && methods.contains(HandlerType.GET.name())) {
                methods.add(t.name());
            }
        }
        return methods;
    }

    private static final List<HandlerType> ROUTE_METHODS = List.of(HandlerType.GET, HandlerType.HEAD, HandlerType.POST,
            HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

    /** Every {@code tracestate} line, joined as one list (the specification allows it split over several). */
    private static String traceState(Context ctx) {
        java.util.Enumeration<String> lines = ctx.req().getHeaders(Exchange.TRACESTATE);
        if (lines == null || !lines.hasMoreElements()) {
            return null;
        }
        String first = lines.nextElement();
        if (!lines.hasMoreElements()) {
            return first;
        }
        StringBuilder all = new StringBuilder(first);
        while (lines.hasMoreElements() && all.length() <= dev.argus.domain.TraceContext.MAX_TRACE_STATE) {
            all.append(',').append(lines.nextElement());
        }
        return all.toString();
    }

    private final RefusalLog refusals = new RefusalLog(ACCESS, java.time.Duration.ofSeconds(1));

    private void access(Context ctx, Float ms) {
        String route = Exchange.route(ctx);
        int status = ctx.statusCode();
        metrics.request(route, ctx.method().name(), status, Exchange.seconds(ctx));
        dev.argus.domain.TraceContext trace = Exchange.trace(ctx);
        if (tracing.recording(trace)) {
            serverSpan(ctx, trace, route, status);
        }
        if (status == 429) {
            refusals.refused(); // summed, not a line each: under overload, logging refusals would cost more than refusing
            return;
        }
        if (ACCESS.isLoggable(System.Logger.Level.INFO)) {
            StringBuilder line = new StringBuilder(200).append("id=").append(Exchange.id(ctx)).append(" method=")
                    .append(ctx.method().name()).append(" route=").append(route).append(" status=").append(status)
                    .append(" ms=");
            tenths(line, ms).append(" in=").append(Exchange.bytesIn(ctx)).append(" out=").append(Exchange.bytesOut(ctx));
            if (trace.isPresent()) {
                line.append(" trace_id=").append(trace.traceId());
            }
            ACCESS.log(System.Logger.Level.INFO, line.toString());
        }
    }

    /**
     * {@code ms} with one decimal, as {@code %.1f} writes it (halves away from zero): a line a request is written
     * without java.util.Formatter, whose parsing and number formatting cost more than the rest of the line.
     */
    static StringBuilder tenths(StringBuilder to, float ms) {
        if (!Float.isFinite(ms) || Math.abs(ms) >= 1e15f) {
            return to.append(String.format(java.util.Locale.ROOT, "%.1f", ms));
        }
        long t = Math.round(Math.abs((double) ms) * 10);
        return to.append(Float.floatToRawIntBits(ms) < 0 ? "-" : "").append(t / 10).append('.').append(t % 10);
    }

    /** The request's server span, named and described as OpenTelemetry's HTTP conventions say; 5xx is an error. */
    private void serverSpan(Context ctx, dev.argus.domain.TraceContext trace, String route, int status) {
        String method = ctx.method().name();
        tracing.record(trace, method + " " + route, Span.Kind.SERVER, Exchange.start(ctx), System.nanoTime(), java.util.Map.of(
                "http.request.method", method, "http.route", route, "http.response.status_code", (long) status,
                "url.scheme", scheme(), "argus.request_id", Exchange.id(ctx)), status >= 500, status >= 500 ? "HTTP " + status : "");
    }
}
