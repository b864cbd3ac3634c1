#!/usr/bin/env pwsh
# The platform build on Windows/PowerShell: ./build.ps1 [--target=NAME ...] [--env=dev|prod] [options]
# Same behaviour as build.sh: the compiled host is reused while build/ is unchanged.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
Set-Location $root
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error 'build.ps1: dotnet not found: install the .NET 10 SDK (https://dot.net/install) and run again'
    exit 2
}

$hostDir = Join-Path $root 'artifacts/host'
$stamp = Join-Path $hostDir '.source-hash'

# Content hash of the build sources: any edit rebuilds the host.
$files = @(Get-ChildItem -Path (Join-Path $root 'build') -Recurse -File -Include '*.cs', '*.csproj', '*.props', '*.targets' |
    Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } |
    ForEach-Object { [System.IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/') })
$files += 'Directory.Build.props', 'global.json'
$sha = [System.Security.Cryptography.SHA256]::Create()
$text = ($files | Sort-Object -CaseSensitive | ForEach-Object {
        $bytes = [System.IO.File]::ReadAllBytes((Join-Path $root $_))
        '{0}  {1}' -f ([System.BitConverter]::ToString($sha.ComputeHash($bytes)).Replace('-', '').ToLowerInvariant()), $_
    }) -join "`n"
$hash = [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text))).Replace('-', '').ToLowerInvariant()

$current = if (Test-Path $stamp) { (Get-Content $stamp -Raw).Trim() } else { '' }
if (-not (Test-Path (Join-Path $hostDir 'Build.dll')) -or $current -ne $hash) {
    Write-Host 'build.ps1: compiling the build host (build/ changed)...'
    New-Item -ItemType Directory -Force -Path $hostDir | Out-Null
    Remove-Item -Force -ErrorAction SilentlyContinue $stamp
    & dotnet build (Join-Path $root 'build/Build.csproj') -c Release -o $hostDir --nologo -v quiet '-clp:ErrorsOnly;NoSummary'
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    Set-Content -Path $stamp -Value $hash
}

& dotnet (Join-Path $hostDir 'Build.dll') @args
exit $LASTEXITCODE
