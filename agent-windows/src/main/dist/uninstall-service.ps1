<#
.SYNOPSIS
  Stops and removes the Strata agent service (sc.exe stop + delete).

.DESCRIPTION
  Removing the service does not stop tasks: they run on in their job objects (and the job handle
  holder process keeps them reachable) until an agent is installed again and re-attaches, or until
  you end them. -StopTasks ends the main process of every task this agent's work directory records
  (jobs\*.job) and the job handle holder, so each job's last handle closes and kill-on-close ends
  the rest of every task's process tree; then it removes the work directory.
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
  [string] $Name = 'StrataAgent',
  [string] $WorkDir = 'C:\strata\work',
  [switch] $StopTasks
)
$ErrorActionPreference = 'Stop'

$service = Get-Service -Name $Name -ErrorAction SilentlyContinue
if ($service) {
  if ($service.Status -ne 'Stopped' -and $PSCmdlet.ShouldProcess($Name, 'stop')) {
    Stop-Service -Name $Name -Force
    $service.WaitForStatus('Stopped', [TimeSpan]::FromMinutes(2))
  }
  if ($PSCmdlet.ShouldProcess($Name, 'sc.exe delete')) {
    & sc.exe delete $Name | Write-Verbose
    if ($LASTEXITCODE -ne 0) { throw "sc.exe delete $Name failed with exit code $LASTEXITCODE" }
  }
} else {
  Write-Warning "No service named '$Name'."
}

if ($StopTasks -and (Test-Path $WorkDir) -and $PSCmdlet.ShouldProcess($WorkDir, 'stop tasks and remove')) {
  foreach ($marker in Get-ChildItem -Path (Join-Path $WorkDir 'jobs') -Filter '*.job' -ErrorAction SilentlyContinue) {
    $line = Get-Content $marker.FullName | Where-Object { $_ -match '^pid=' } | Select-Object -First 1
    if ($line) { Stop-Process -Id ([int]$line.Substring(4)) -Force -ErrorAction SilentlyContinue }
  }
  $holder = Join-Path $WorkDir 'job-holder'
  if (Test-Path $holder) {
    $holderPid = [int]((Get-Content $holder -Raw).Split(':')[0])
    Stop-Process -Id $holderPid -Force -ErrorAction SilentlyContinue
  }
  Remove-Item -Recurse -Force $WorkDir
}
Write-Output "Removed service '$Name'."
