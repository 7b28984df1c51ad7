#!/usr/bin/env php
<?php
/**
 * The whole refresh loop of a UiTdatabank Entry API client, against a running uitid-emulator:
 *
 *   1. headless login through GET /connect (the redirect is read, not followed),
 *   2. an Entry API call (GET /user) with the access token,
 *   3. the token expiring (the emulator's clock is moved 13 hours ahead),
 *   4. the next call answering 401 "Token expired (or not yet usable).",
 *      the client refreshing through GET /refresh and retrying once, successfully.
 *
 * Needs only PHP's curl extension (Debian: php-cli php-curl).
 *
 * Usage: php refresh_loop.php [BASE_URL [API_KEY]]
 *   BASE_URL defaults to $UITID_EMULATOR_URL, then http://localhost:8080
 *   API_KEY  defaults to $UITID_API_KEY, then sample-key-with-refresh
 * Exits 0 when the loop works, 1 with a message on the first unexpected answer.
 */

declare(strict_types=1);

/** Any answer the client did not expect. */
final class UnexpectedResponse extends RuntimeException
{
    public static function status(string $request, HttpResponse $response, string $expected = '200'): self
    {
        return new self("$request: expected $expected, got HTTP {$response->status}: '{$response->body}'");
    }
}

/** One HTTP answer: status, lower-cased headers, body. */
final class HttpResponse
{
    /** @param array<string, string> $headers */
    public function __construct(
        public readonly int $status,
        public readonly array $headers,
        public readonly string $body,
    ) {
    }

    public function header(string $name): ?string
    {
        return $this->headers[strtolower($name)] ?? null;
    }

    /** The JSON body as an array, or an exception naming what came instead. */
    public function json(): array
    {
        $data = json_decode($this->body, true);
        if (!is_array($data)) {
            throw new UnexpectedResponse("expected a JSON object, got: {$this->body}");
        }
        return $data;
    }
}

/** A tiny curl wrapper: never follows redirects, never hides a status code. */
final class Http
{
    /** @param list<string> $headers */
    public static function send(string $method, string $url, array $headers = [], ?string $body = null): HttpResponse
    {
        $responseHeaders = [];
        $curl = curl_init($url);
        curl_setopt_array($curl, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_CONNECTTIMEOUT => 5,
            CURLOPT_TIMEOUT => 15,
            CURLOPT_HEADERFUNCTION => static function ($curl, string $line) use (&$responseHeaders): int {
                $parts = explode(':', $line, 2);
                if (count($parts) === 2) {
                    $responseHeaders[strtolower(trim($parts[0]))] = trim($parts[1]);
                }
                return strlen($line);
            },
        ]);
        if ($body !== null) {
            curl_setopt($curl, CURLOPT_POSTFIELDS, $body);
        }
        $responseBody = curl_exec($curl);
        $error = curl_error($curl);
        $status = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        curl_close($curl);

        if ($responseBody === false) {
            throw new UnexpectedResponse("$method $url failed: cURL error: $error");
        }
        return new HttpResponse($status, $responseHeaders, $responseBody);
    }
}

/**
 * What a real Entry API client keeps: the API key, the access token (JWT) and the refresh
 * token. callEntryApi() refreshes the access token when the Entry API says it expired, and
 * retries the call once.
 */
final class EntryApiClient
{
    public const EXPIRED = 'Token expired (or not yet usable).';

    private ?string $jwt = null;
    private ?string $refreshToken = null;
    public int $refreshes = 0;

    /** @param callable(string): void $log */
    public function __construct(
        private readonly string $providerUrl,
        private readonly string $entryApiUrl,
        private readonly string $apiKey,
        private $log,
    ) {
    }

    public function jwt(): ?string
    {
        return $this->jwt;
    }

    /**
     * Starts the login flow. Against the real provider a person logs in in a browser; the
     * emulator in headless mode redirects at once to $destination with jwt and refresh added.
     */
    public function connect(string $destination): void
    {
        $url = $this->providerUrl . '/connect?' . http_build_query([
            'apiKey' => $this->apiKey,
            'destination' => $destination,
        ]);
        $response = Http::send('GET', $url);
        $location = $response->header('Location');
        if (!in_array($response->status, [301, 302, 303, 307, 308], true) || $location === null) {
            throw UnexpectedResponse::status('GET /connect', $response, 'a redirect with a Location header');
        }
        parse_str((string) parse_url($location, PHP_URL_QUERY), $query);
        if (!is_string($query['jwt'] ?? null) || $query['jwt'] === '') {
            throw new UnexpectedResponse("GET /connect: no jwt in the redirect to $destination");
        }
        if (!is_string($query['refresh'] ?? null) || $query['refresh'] === '') {
            throw new UnexpectedResponse(
                'GET /connect: no refresh token in the redirect (does the API key have the refresh permission?)'
            );
        }
        $this->jwt = $query['jwt'];
        $this->refreshToken = $query['refresh'];
        ($this->log)("connect: HTTP {$response->status}, redirect carries jwt and refresh");
    }

    /** GET /refresh: the body is the new access token, bare. */
    public function refresh(): void
    {
        if ($this->refreshToken === null) {
            throw new UnexpectedResponse('cannot refresh: no refresh token (call connect() first)');
        }
        $url = $this->providerUrl . '/refresh?' . http_build_query([
            'apiKey' => $this->apiKey,
            'refresh' => $this->refreshToken,
        ]);
        $response = Http::send('GET', $url);
        if ($response->status !== 200) {
            throw UnexpectedResponse::status('GET /refresh', $response);
        }
        if (!preg_match('/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/', $response->body)) {
            throw new UnexpectedResponse("GET /refresh: the body is not a bare JWT: '{$response->body}'");
        }
        $this->jwt = $response->body;
        $this->refreshes++;
        ($this->log)('refresh: HTTP 200, new access token received');
    }

    /**
     * Calls the Entry API with the current access token. On 401 "Token expired" it refreshes
     * the token and retries once; any other failure is thrown.
     */
    public function callEntryApi(string $method, string $path): array
    {
        $response = $this->send($method, $path);
        if ($response->status === 401 && $this->problemDetail($response) === self::EXPIRED) {
            ($this->log)("$method $path: HTTP 401 \"" . self::EXPIRED . '" -> refreshing');
            $this->refresh();
            $response = $this->send($method, $path);
            ($this->log)("$method $path (retry): HTTP {$response->status}");
        } else {
            ($this->log)("$method $path: HTTP {$response->status}");
        }
        if ($response->status !== 200) {
            throw UnexpectedResponse::status("$method $path", $response);
        }
        return $response->json();
    }

    private function send(string $method, string $path): HttpResponse
    {
        if ($this->jwt === null) {
            throw new UnexpectedResponse('not logged in (call connect() first)');
        }
        return Http::send($method, $this->entryApiUrl . $path, [
            'Authorization: Bearer ' . $this->jwt,
            'X-Api-Key: ' . $this->apiKey,
            'Accept: application/json',
        ]);
    }

    /** The `detail` of an application/problem+json answer, or null. */
    private function problemDetail(HttpResponse $response): ?string
    {
        if (!str_starts_with((string) $response->header('Content-Type'), 'application/problem+json')) {
            return null;
        }
        $detail = json_decode($response->body, true)['detail'] ?? null;
        return is_string($detail) ? $detail : null;
    }
}

/** The emulator's control plane (no counterpart upstream): here, only its clock. */
final class EmulatorClock
{
    public function __construct(private readonly string $baseUrl)
    {
    }

    public function reset(): array
    {
        return $this->expectOk(Http::send('DELETE', $this->baseUrl . '/_emulator/clock'));
    }

    public function advance(string $by): array
    {
        return $this->expectOk(Http::send(
            'POST',
            $this->baseUrl . '/_emulator/clock',
            ['Content-Type: application/json'],
            json_encode(['advance' => $by]),
        ));
    }

    private function expectOk(HttpResponse $response): array
    {
        if ($response->status !== 200) {
            throw UnexpectedResponse::status('/_emulator/clock', $response);
        }
        return $response->json();
    }
}

function main(array $argv): int
{
    $baseUrl = rtrim($argv[1] ?? (getenv('UITID_EMULATOR_URL') ?: 'http://localhost:8080'), '/');
    $apiKey = $argv[2] ?? (getenv('UITID_API_KEY') ?: 'sample-key-with-refresh');
    $step = 0;
    $log = static function (string $message) use (&$step): void {
        $step++;
        echo "[php] $step. $message\n";
    };

    // The emulator plays both the JWT provider and the Entry API; against publiq these are
    // two base URLs (e.g. https://jwt-test.uitdatabank.be and https://io-test.uitdatabank.be).
    $client = new EntryApiClient($baseUrl, $baseUrl, $apiKey, $log);
    $clock = new EmulatorClock($baseUrl);

    try {
        $clock->reset();
        $log("emulator at $baseUrl, clock reset");

        $client->connect('http://localhost/callback');

        $user = $client->callEntryApi('GET', '/user');
        if (!is_string($user['uuid'] ?? null) || !is_string($user['nick'] ?? null)) {
            throw new UnexpectedResponse('GET /user: no uuid or nick in ' . json_encode($user));
        }
        if ($client->refreshes !== 0) {
            throw new UnexpectedResponse('a fresh token was refreshed');
        }
        $log("logged in as {$user['nick']} ({$user['uuid']})");

        $state = $clock->advance('13h');
        if (($state['offset'] ?? null) !== 13 * 3600) {
            throw new UnexpectedResponse('clock: expected offset 46800 after +13h, got ' . json_encode($state));
        }
        $log('clock advanced 13h (offset ' . $state['offset'] . ' s): the 12 h access token has expired');

        $oldJwt = $client->jwt();
        $again = $client->callEntryApi('GET', '/user');
        if ($client->refreshes !== 1) {
            throw new UnexpectedResponse("expected exactly one refresh, got {$client->refreshes}");
        }
        if ($client->jwt() === $oldJwt) {
            throw new UnexpectedResponse('the refreshed access token equals the expired one');
        }
        if (($again['uuid'] ?? null) !== $user['uuid']) {
            throw new UnexpectedResponse('GET /user after refresh: another user: ' . json_encode($again));
        }
        $log("same user after refresh ({$again['nick']}); the loop works");
    } catch (UnexpectedResponse $e) {
        fwrite(STDERR, "[php] FAIL: {$e->getMessage()}\n");
        return 1;
    } catch (Throwable $e) {
        fwrite(STDERR, '[php] FAIL: ' . get_class($e) . ": {$e->getMessage()}\n");
        return 1;
    }
    echo "[php] OK\n";
    return 0;
}

exit(main($argv));
