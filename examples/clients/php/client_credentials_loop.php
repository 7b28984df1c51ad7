#!/usr/bin/env php
<?php
/**
 * The client-credentials loop of a UiTiD v2 integration, against a running uitid-emulator whose
 * Entry API gateway has an upstream (the example stand-in, ../stand_in/entry_api.py):
 *
 *   1. get a client access token from the realm's token endpoint (HTTP Basic) and cache it,
 *   2. call the Entry API (POST /events) with it: the stand-in's 201,
 *   3. the token expiring (the emulator's clock is moved past expires_in),
 *   4. the next call answering 401 "Token expired (or not yet usable).", the client fetching a
 *      new token and retrying once, successfully.
 *
 * No API key anywhere: client access tokens need none. Needs only PHP's curl extension.
 *
 * Usage: php client_credentials_loop.php [BASE_URL [CLIENT_ID [CLIENT_SECRET]]]
 *   defaults: $UITID_EMULATOR_URL or http://localhost:8080, and the sample configuration's client.
 * Exits 0 when the loop works, 1 with a FAIL: message on the first unexpected answer.
 */

declare(strict_types=1);

/** One HTTP call; never hides a status code. Returns [status, decoded JSON body or null]. */
function http(string $method, string $url, array $headers = [], ?string $body = null): array
{
    $curl = curl_init($url);
    curl_setopt_array($curl, [
        CURLOPT_CUSTOMREQUEST => $method,
        CURLOPT_HTTPHEADER => $headers,
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_CONNECTTIMEOUT => 5,
        CURLOPT_TIMEOUT => 15,
    ]);
    if ($body !== null) {
        curl_setopt($curl, CURLOPT_POSTFIELDS, $body);
    }
    $text = curl_exec($curl);
    $status = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
    $error = curl_error($curl);
    curl_close($curl);
    if ($text === false) {
        throw new RuntimeException("$method $url: cURL error: $error");
    }
    return [$status, json_decode($text, true)];
}

/**
 * What a real integration keeps: its client id and secret and one cached access token, renewed
 * when the Entry API says it expired (or when it is about to, by expires_in).
 */
final class EntryApiClient
{
    public const EXPIRED = 'Token expired (or not yet usable).';

    private ?string $token = null;
    public int $tokensFetched = 0;

    public function __construct(
        private readonly string $baseUrl,
        private readonly string $clientId,
        private readonly string $clientSecret,
    ) {
    }

    /** The cached token, or a new one from the token endpoint. */
    public function token(): string
    {
        if ($this->token !== null) {
            return $this->token;
        }
        [$status, $answer] = http(
            'POST',
            $this->baseUrl . '/realms/uitid/protocol/openid-connect/token',
            [
                'Authorization: Basic ' . base64_encode(rawurlencode($this->clientId) . ':' . rawurlencode($this->clientSecret)),
                'Content-Type: application/x-www-form-urlencoded',
            ],
            'grant_type=client_credentials',
        );
        if ($status !== 200 || !is_string($answer['access_token'] ?? null)) {
            throw new RuntimeException("token endpoint: HTTP $status " . json_encode($answer));
        }
        $this->tokensFetched++;
        return $this->token = $answer['access_token'];
    }

    /** An Entry API call; on "token expired" a new token and one retry. */
    public function call(string $method, string $path, array $body): array
    {
        [$status, $answer] = $this->send($method, $path, $body);
        if ($status === 401 && ($answer['detail'] ?? null) === self::EXPIRED) {
            echo "     the token expired: fetching a new one and retrying\n";
            $this->token = null;
            [$status, $answer] = $this->send($method, $path, $body);
        }
        return [$status, $answer];
    }

    private function send(string $method, string $path, array $body): array
    {
        return http($method, $this->baseUrl . $path, [
            'Authorization: Bearer ' . $this->token(),
            'Content-Type: application/json',
        ], json_encode($body));
    }
}

function expect(bool $condition, string $what): void
{
    if (!$condition) {
        fwrite(STDERR, "FAIL: $what\n");
        exit(1);
    }
    echo "ok   $what\n";
}

$base = rtrim($argv[1] ?? getenv('UITID_EMULATOR_URL') ?: 'http://localhost:8080', '/');
$client = new EntryApiClient(
    $base,
    $argv[2] ?? '5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11',
    $argv[3] ?? 'sampleclientsecret',
);
try {
    http('DELETE', "$base/_emulator/clock");
    [$status, $created] = $client->call('POST', '/events', ['name' => ['nl' => 'Eerste']]);
    expect($status === 201 && isset($created['id']), "POST /events with a fresh client token: 201 (got $status)");

    [$status] = $client->call('POST', '/events', ['name' => ['nl' => 'Tweede']]);
    expect($status === 201 && $client->tokensFetched === 1, 'the cached token is used again');

    [$status] = http('POST', "$base/_emulator/clock", ['Content-Type: application/json'], '{"advance":"24h 1m"}');
    expect($status === 200, 'the emulator clock moved past expires_in (86400 s)');

    [$status, $created] = $client->call('POST', '/events', ['name' => ['nl' => 'Derde']]);
    expect($client->tokensFetched === 2, 'the expired token was replaced by a new one');
    expect($status === 201 && isset($created['id']), "the retried call succeeded (got $status)");
    http('DELETE', "$base/_emulator/clock");
    echo "client credentials loop: all steps answered as expected\n";
} catch (RuntimeException $error) {
    fwrite(STDERR, 'FAIL: ' . $error->getMessage() . "\n");
    exit(1);
}
