package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.testkit.ProbeCase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The demo page in a real headless Chromium: upload a photo, read the rendered top 5. Needs Debian's chromium and
 * chromium-driver; skips with a printed reason without them. Selenium Manager never runs (driver and browser paths are
 * given), so nothing is downloaded.
 */
class DemoPageBrowserIT {
    static final Path CHROMIUM = Paths.get(System.getProperty("argus.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Paths.get(System.getProperty("argus.chromedriver", "/usr/bin/chromedriver"));
    /** Selenium warns that it has no CDP bindings for this Chromium; WebDriver needs none. (Held: JUL loggers are weak.) */
    static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");
    static TestServer server;
    static ChromeDriver browser;
    static Path profile;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            String reason = "SKIPPED DemoPageBrowserIT: needs " + CHROMIUM + " and " + DRIVER
                    + " (apt-get install -y chromium chromium-driver)";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        server = new TestServer();
        profile = Files.createTempDirectory("argus-chromium-profile");
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void uploadsAPhotoAndShowsTheTopFiveWithBackendAndLatency() {
        browser.get(server.uri("/").toString());
        Path photo = ProbeCase.all().get(0).file();
        browser.findElement(By.id("file")).sendKeys(photo.toAbsolutePath().toString());
        waitFor(() -> browser.findElements(By.cssSelector("#results .prediction")).size() == 5);
        List<WebElement> labels = browser.findElements(By.cssSelector("#results .prediction .label"));
        List<WebElement> scores = browser.findElements(By.cssSelector("#results .prediction .score"));
        assertThat(labels).extracting(WebElement::getText)
                .containsExactly("PERSIAN CAT", "PEKINESE", "FEATHER BOA", "POMERANIAN", "JAPANESE SPANIEL");
        assertThat(scores.get(0).getText()).isEqualTo("0.5000");
        assertThat(browser.findElement(By.id("backend")).getText()).isEqualTo("backend: fake");
        assertThat(browser.findElement(By.id("latency")).getText()).matches("latency: \\d+ ms");
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
        assertThat(server.useCase.lastBytes).isEqualTo(ProbeCase.all().get(0).bytes());
    }

    @Test
    void showsTheServersErrorForAFileThatIsNotAnImage() throws Exception {
        browser.get(server.uri("/").toString());
        Path bad = Files.createTempFile("argus-bad", ".png");
        Files.writeString(bad, "BAD not an image");
        try {
            browser.findElement(By.id("file")).sendKeys(bad.toString());
            waitFor(() -> !browser.findElement(By.id("error")).getText().isEmpty());
            assertThat(browser.findElement(By.id("error")).getText()).startsWith("Error 5006 (HTTP 400)");
        } finally {
            Files.delete(bad);
        }
    }

    @Test
    void rendersTheDocsPageFromTheOpenApiDocument() {
        browser.get(server.uri("/docs").toString());
        waitFor(() -> browser.findElements(By.cssSelector("section.op")).size() > 10);
        assertThat(browser.findElement(By.id("post /v1/classify")).getText()).contains("top_k", "multipart/form-data");
    }

    /** Polls the page (selenium-support's WebDriverWait would be one more dependency for this). */
    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("page did not get there in 20 s:\n" + browser.getPageSource());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
