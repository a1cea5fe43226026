import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPerlBlock } from '../src/perl-fragment.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

// The walkthrough's fragment, as pasted into templates-custom (SME Text::Template)
const WALKTHROUGH = `{
    if ($port eq "443")
    {
        $OUT .= "    SSLEngine on\\n";
        $OUT .= "    SSLCertificateFile $modSSL{'crt'}\\n";
        $OUT .= "    SSLCertificateKeyFile $modSSL{'key'}\\n";
    }
}
`;

describe('findPerlBlock: SME Perl fragments (Text::Template) are recognised', () => {
  it('the walkthrough 25SSLDirectives: the block at 1:1, the evidence and its line', () => {
    assert.deepEqual(findPerlBlock(WALKTHROUGH), { line: 1, column: 1, evidence: '$port eq', evidenceLine: 2 });
  });

  for (const [what, source, evidence] of [
    ['$OUT .=', 'text\n{ $OUT .= "x"; }\n', '$OUT .='],
    ['$OUT = heredoc', "{\n    $OUT =<<'HERE';\n    RewriteEngine on\nHERE\n}\n", '$OUT ='],
    ['my variables', '    ServerAlias {\n    my @hosts = ();\n    join " ", @hosts;\n}\n', 'my @hosts'],
    ['use esmith::', '{\n    use esmith::DomainsDB;\n    "";\n}\n', 'use esmith::DomainsDB;'],
    ['use strict', '{ use strict; 1 }', 'use strict;'],
    ['a config hash element', 'SSLCertificateFile { $modSSL{crt} }\n', '$modSSL{crt}'],
    ['a quoted hash name', "Listen { ${'httpd-admin'}{TCPPort} }\n", "${'httpd-admin'}{"],
    ['an inline scalar', '    ServerName {$virtualHost}\n', '{$virtualHost}'],
    ['inline scalars in text', '<VirtualHost {$ipAddress}:{$port}>\n', '{$ipAddress}'],
    ['string comparison', '{ return "" unless $status ne "disabled"; }', '$status ne'],
    ['a hash reference', '{ $domain = bless \\%domain, "R"; "" }', '\\%domain'],
    ['esmith:: objects', '{ esmith::ConfigDB->open_ro->get("x") }', 'esmith::ConfigDB'],
  ] as const) {
    it(`${what}: ${JSON.stringify(evidence)}`, () => {
      assert.equal(findPerlBlock(source)?.evidence, evidence);
    });
  }
});

describe('findPerlBlock: no false positives on other text with braces and dollars', () => {
  for (const [what, source] of [
    ['Apache sections', '<Directory "/var/www">\n    Require all granted\n</Directory>\n'],
    ['Apache variables', 'ErrorLog ${APACHE_LOG_DIR}/error.log\nRewriteCond %{REQUEST_METHOD} ^(TRACE|TRACK)\nRewriteRule .* - [F]\n'],
    ['Apache log formats', 'LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\"" combined\n'],
    ['regex quantifiers', 'RewriteRule ^/([a-z]{2})/(.*)$ /$2?lang=$1 [L]\nRedirectMatch "^/(?!x/)(.*)$" "https://h/$1"\n'],
    ['an Apache expression', '<If "%{HTTP_HOST} == \'example.com\'">\n    Header set X-A "1"\n</If>\n'],
    ['a shell function', 'deploy_cert() {\n    local KEY="$3"\n    [ "$OUT" = "x" ] && exit 1\n    echo "${KEY}" $KEY\n}\n'],
    ['a shell group with OUT', '{ OUT=$(date); echo "$OUT"; } > /tmp/x\n'],
    ['awk and printf', "awk '{print $1}' /etc/passwd\n{ printf '%s\\n' \"$x\"; }\n"],
    ['brace expansion', 'for f in $dir{a,b} $dir{1,2}; do :; done\n'],
    ['shell parameter expansion', 'DOMAINS_TXT="${BASEDIR}/domains.txt"\necho ${x:-{}} done\n'],
    ['Handlebars', '{{#each (records "domains" type="domain")}}{{key}} {{{raw x}}}{{/each}}\n{{!-- {$x} is Perl --}}\n'],
    ['JSON', '{"key": "$value", "n": {"m": 1}}\n'],
    ['CSS', 'body { color: red; }\n'],
    ['nginx', 'map $http_upgrade $connection_upgrade { default upgrade; "" close; }\nif ($host = x) { return 301 https://$host$request_uri; }\n'],
    ['PHP', '<?php\nuse App\\Models\\User;\nclass A { use Loggable; }\nif ($x) { $y = $z->foo("Hello {$name}"); }\n$s = "Hello {$name}";\n'],
    ['unbalanced braces', '} text { $OUT\n'],
    ['an escaped brace', '\\{ my $x \\}\n'],
  ] as const) {
    it(what, () => {
      assert.equal(findPerlBlock(source), undefined);
    });
  }

  it('no fragment of the repository (stock templates, test fixtures) is taken for Perl', () => {
    const flagged: string[] = [];
    for (const top of ['templates', 'templates-custom', 'templates-default', 'test/fixtures/templates']) {
      for (const name of readdirSync(join(REPO, top), { recursive: true, encoding: 'utf8' })) {
        const path = join(REPO, top, name);
        if (!statSync(path).isFile() || /\.m?js$/.test(name)) continue;
        if (findPerlBlock(readFileSync(path, 'utf8')) !== undefined) flagged.push(path);
      }
    }
    assert.deepEqual(flagged, []);
  });
});
