package dev.argus.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Deadline;
import dev.argus.domain.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static Admission admission(int requests, long bytes, Duration wait, Duration timeout) {
        return new Admission(new Admission.Limits("REST requests", requests, "argus.rest.max-concurrent-requests", bytes,
                "argus.rest.max-body-bytes-in-flight", wait, timeout));
    }

    @Test
    void admitsUpToTheLimitThenRefusesNamingTheSettingAndGivesPlacesBackOnce() {
        Admission a = admission(2, 1000, Duration.ZERO, null);
        Admission.Ticket one = a.admit();
        Admission.Ticket two = a.tryAdmit(Deadline.none());
        assertThat(a.inFlight()).isEqualTo(2);
        assertThatThrownBy(a::admit)
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED))
                .hasMessageContaining("2 REST requests").hasMessageContaining("argus.rest.max-concurrent-requests");
        assertThatThrownBy(() -> a.tryAdmit(Deadline.none())).isInstanceOf(ArgusException.class);
        one.close();
        one.close(); // twice gives back one place, not two
        assertThat(a.inFlight()).isEqualTo(1);
        a.admit().close();
        two.close();
        assertThat(a.inFlight()).isZero();
    }

    @Test
    void aRequestPastTheLimitWaitsInOrderForAPlaceThenGetsIt() throws Exception {
        Admission a = admission(1, 1000, Duration.ofSeconds(5), null);
        Admission.Ticket held = a.admit();
        CompletableFuture<Admission.Ticket> waiting = CompletableFuture.supplyAsync(a::admit);
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        held.close();
        Admission.Ticket got = waiting.get(5, TimeUnit.SECONDS);
        assertThat(a.inFlight()).isEqualTo(1);
        got.close();
    }

    @Test
    void theWaitIsBoundedAndTheDeadlineCountsFromAdmission() {
        Admission a = admission(1, 1000, Duration.ofMillis(100), Duration.ofSeconds(30));
        Admission.Ticket held = a.admit();
        assertThat(held.deadline().bounded()).isTrue();
        assertThat(held.deadline().remainingNanos()).isGreaterThan(TimeUnit.SECONDS.toNanos(25));
        long t0 = System.nanoTime();
        assertThatThrownBy(a::admit).isInstanceOf(ArgusException.class);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(waited).isBetween(90L, 5_000L);
        held.close();
    }

    @Test
    void memoryIsReservedAsItArrivesAndWaitersAreGrantedInOrderNotOvertaken() {
        MemoryBudget m = admission(8, 100, Duration.ZERO, null).memory();
        assertThat(m.tryReserve(60)).isTrue();
        List<String> granted = new ArrayList<>();
        m.request(50, () -> granted.add("first"));
        m.request(10, () -> granted.add("second"));
        assertThat(granted).isEmpty(); // the second would fit, but waits behind the first
        assertThat(m.tryReserve(10)).as("a reservation does not overtake waiters").isFalse();
        m.release(60);
        assertThat(granted).containsExactly("first", "second");
        assertThat(m.used()).isEqualTo(60);
        MemoryBudget.Waiter w = m.request(90, () -> granted.add("third"));
        w.cancel();
        m.release(60);
        assertThat(granted).containsExactly("first", "second");
        assertThat(m.used()).isZero();
    }

    @Test
    void nonsenseLimitsAreAConfigurationError() {
        assertThatThrownBy(() -> admission(0, 100, Duration.ZERO, null))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
        assertThatThrownBy(() -> admission(1, 100, Duration.ofMillis(-1), null)).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> admission(1, 100, Duration.ZERO, Duration.ZERO)).isInstanceOf(ArgusException.class);
    }

    @Test
    void frontEndsSharingTheServersBoundNeverHoldMoreThanItTogether() {
        Admission.Shared server = new Admission.Shared(3, "argus.server.max-concurrent-requests");
        Admission rest = new Admission(new Admission.Limits("REST requests", 2, "argus.rest.max-concurrent-requests", 1000,
                "argus.rest.max-body-bytes-in-flight", Duration.ZERO, null), server);
        Admission grpc = new Admission(new Admission.Limits("gRPC calls", 2, "argus.grpc.max-concurrent-calls", 1000,
                "argus.grpc.max-bytes-in-flight", Duration.ZERO, null), server);
        Admission.Ticket r1 = rest.admit();
        Admission.Ticket r2 = rest.admit();
        Admission.Ticket g1 = grpc.tryAdmit(Deadline.none());
        assertThat(server.inFlight()).isEqualTo(3);
        // gRPC is under its own limit of 2, but the server's 3 are taken
        assertThatThrownBy(() -> grpc.tryAdmit(Deadline.none()))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED))
                .hasMessageContaining("3 requests").hasMessageContaining("argus.server.max-concurrent-requests");
        assertThatThrownBy(grpc::admit).hasMessageContaining("argus.server.max-concurrent-requests");
        assertThat(grpc.inFlight()).as("a refusal by the server's bound gives the front end's place back").isEqualTo(1);
        // REST's own limit still applies first
        r1.close();
        assertThat(server.inFlight()).isEqualTo(2);
        Admission.Ticket g2 = grpc.admit();
        assertThatThrownBy(rest::admit).hasMessageContaining("argus.server.max-concurrent-requests");
        r2.close();
        r2.close(); // once
        g1.close();
        g2.close();
        assertThat(server.inFlight()).isZero();
        assertThat(rest.inFlight()).isZero();
        assertThat(grpc.inFlight()).isZero();
    }

    @Test
    void aRequestWaitingForTheServersBoundGetsThePlaceAnotherFrontEndGivesBack() throws Exception {
        Admission.Shared server = new Admission.Shared(1, "argus.server.max-concurrent-requests");
        Admission rest = new Admission(new Admission.Limits("REST requests", 4, "k", 1000, "b", Duration.ofSeconds(5), null), server);
        Admission grpc = new Admission(new Admission.Limits("gRPC calls", 4, "k", 1000, "b", Duration.ZERO, null), server);
        Admission.Ticket g = grpc.tryAdmit(Deadline.none());
        CompletableFuture<Admission.Ticket> waiting = CompletableFuture.supplyAsync(rest::admit);
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        g.close();
        Admission.Ticket r = waiting.get(5, TimeUnit.SECONDS);
        assertThat(server.inFlight()).isEqualTo(1);
        r.close();
        assertThat(server.inFlight()).isZero();
        assertThatThrownBy(() -> new Admission.Shared(0, "argus.server.max-concurrent-requests"))
                .hasMessageContaining("argus.server.max-concurrent-requests");
    }
}
