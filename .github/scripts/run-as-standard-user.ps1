# Run `sockcompat run` as a standard (non-administrator) local user made for this job, and copy
# its report into -Output. GitHub's Windows runners run as an administrator with UAC off, so the
# unprivileged column needs its own account. The account and its output folder are removed after.
# -RunArgs are more `sockcompat run` arguments (suites, a baseline, --fail-on).
param([string]$Output = "reports/hosts", [string[]]$RunArgs = @())
$ErrorActionPreference = "Stop"

$name = "scprobe"
$plain = "Sc-" + [Guid]::NewGuid().ToString("N") + "!9a"
$password = ConvertTo-SecureString $plain -AsPlainText -Force
New-LocalUser -Name $name -Password $password -PasswordNeverExpires -AccountNeverExpires `
    -Description "sockcompat unprivileged probe" | Out-Null
try {
    Add-LocalGroupMember -Group "Users" -Member $name -ErrorAction SilentlyContinue
    $work = Join-Path $env:RUNNER_TEMP "sc-user"
    New-Item -ItemType Directory -Force -Path $work | Out-Null
    & icacls $work /grant "${name}:(OI)(CI)F" | Out-Null
    $python = (Get-Command python).Source
    $credential = New-Object System.Management.Automation.PSCredential($name, $password)
    # CreateProcessWithLogonW needs the Secondary Logon service.
    Set-Service -Name seclogon -StartupType Manual -ErrorAction SilentlyContinue
    Start-Service -Name seclogon -ErrorAction SilentlyContinue
    $process = Start-Process -FilePath $python -Credential $credential -LoadUserProfile -Wait -PassThru `
        -WorkingDirectory $work -ArgumentList (@("-m", "sockcompat.cli.main", "run", "--output", $work) + $RunArgs) `
        -RedirectStandardOutput (Join-Path $env:RUNNER_TEMP "sc-user.out") `
        -RedirectStandardError (Join-Path $env:RUNNER_TEMP "sc-user.err")
    Get-Content (Join-Path $env:RUNNER_TEMP "sc-user.out") -Tail 30
    Get-Content (Join-Path $env:RUNNER_TEMP "sc-user.err") -Tail 30
    New-Item -ItemType Directory -Force -Path $Output | Out-Null
    $reports = @(Get-ChildItem -Path $work -Filter *.json*)
    if ($reports.Count -eq 0) { throw "the standard user's run wrote no report (exit $($process.ExitCode))" }
    $reports | Copy-Item -Destination $Output
    Write-Output "standard user's report(s): $($reports.Name -join ', ') (exit $($process.ExitCode))"
    $code = $process.ExitCode
}
finally {
    Remove-LocalUser -Name $name -ErrorAction SilentlyContinue
}
exit $code
