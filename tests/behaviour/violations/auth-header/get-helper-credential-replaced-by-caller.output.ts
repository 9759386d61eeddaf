import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'
import { buildBackendHeaders } from '@/lib/backend/auth-headers'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const headers: HeadersInit = { ...buildBackendHeaders() }
  if (session?.access_token) headers['Authorization'] = `Bearer ${session.access_token}`
  else if (request.headers.get('authorization')) headers['Authorization'] = request.headers.get('authorization')!
  const res = await fetch(`${BRAIN_API_URL}/api/billing/plans/`, { headers, cache: 'no-store' })
  return NextResponse.json(await res.json())
}
