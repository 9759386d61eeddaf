import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

// The harness gives process.env.ROUTE_LIMITS a string that is not JSON: every run throws before
// any fetch, and a pair that proves nothing must not pass.
export async function GET(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const limits = JSON.parse(process.env.ROUTE_LIMITS || '{}')
  const response = await fetch(`${BRAIN_API_URL}/api/billing/usage/?limit=${limits.max}`)
  return NextResponse.json(await response.json())
}
